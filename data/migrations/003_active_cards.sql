-- drill schema, version 3: count due and new cards without visiting every item.
-- cards.active mirrors "the item is not retired", kept in step by a trigger, so the daily
-- counts are range scans of one index.

ALTER TABLE cards ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));

UPDATE cards SET active = (SELECT items.retired_at IS NULL FROM items WHERE items.id = cards.item_id);

CREATE TRIGGER items_retired_sets_card_active AFTER UPDATE OF retired_at ON items
BEGIN
    UPDATE cards SET active = (NEW.retired_at IS NULL) WHERE item_id = NEW.id;
END;

CREATE INDEX cards_active_due ON cards (active, due, buried_until);
