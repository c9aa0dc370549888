-- drill schema, version 6: what each Anki export last wrote into an item's note.
-- The next export reads it so that a card once filled is never blanked, a note whose text
-- changed in any way carries a newer time (Anki updates only newer notes), and a retired
-- item's note can be marked as retired with the text the phone already has.

CREATE TABLE anki_notes (
    item_id      TEXT PRIMARY KEY REFERENCES items (id),
    kind         TEXT NOT NULL CHECK (kind IN ('numeric', 'code', 'recall')),
    deck         TEXT NOT NULL,                  -- the Anki deck the note was exported to
    slots        INTEGER NOT NULL CHECK (slots BETWEEN 1 AND 20),  -- variant cards filled
    mod          INTEGER NOT NULL CHECK (mod > 0),  -- the note's modification time in Anki
    fingerprint  TEXT NOT NULL,                  -- sha256 of everything the note shows
    note         BLOB NOT NULL                   -- zlib-compressed JSON: fields, tags, due
);
