-- drill schema, version 6: what each Anki export last wrote into an item's note.
-- The next export reads it so that a card once filled is never blanked, a note whose text
-- changed in any way carries a newer time (Anki updates only newer notes), and a retired
-- item's note can be marked as retired with the text the phone already has.

-- One row per item and note type: an item whose kind changed gets a new note (with a GUID
-- of its own), and its old note is kept to be marked retired.
CREATE TABLE anki_notes (
    item_id      TEXT NOT NULL REFERENCES items (id),
    kind         TEXT NOT NULL CHECK (kind IN ('numeric', 'code', 'recall')),
    guid         TEXT NOT NULL,
    deck         TEXT NOT NULL,                  -- the Anki deck the note was exported to
    slots        INTEGER NOT NULL CHECK (slots BETWEEN 1 AND 20),  -- variant cards filled
    mod          INTEGER NOT NULL CHECK (mod > 0),  -- the note's modification time in Anki
    fingerprint  TEXT NOT NULL,                  -- sha256 of everything the note shows
    note         BLOB NOT NULL,                  -- zlib-compressed JSON: fields, tags, due
    PRIMARY KEY (item_id, kind)
);
