-- drill schema, version 1.
-- Items are never deleted: an item that leaves its deck is retired, and its history stays.

-- Marks the file as drill's ("DRIL"), so another program's SQLite file is never migrated.
PRAGMA application_id = 1146244428;

CREATE TABLE items (
    id            TEXT PRIMARY KEY,
    deck          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('numeric', 'code', 'recall')),
    title         TEXT NOT NULL,
    position      INTEGER NOT NULL,
    tags          TEXT NOT NULL DEFAULT '[]',      -- JSON list of strings
    content       TEXT NOT NULL,                   -- JSON: prompt, answer, explanation, insight...
    content_hash  TEXT NOT NULL,
    changed_at    TEXT NOT NULL,                   -- when the content last changed
    retired_at    TEXT                             -- set while the item is not in its deck
);

CREATE TABLE variants (
    item_id     TEXT NOT NULL REFERENCES items (id),
    seed        INTEGER NOT NULL CHECK (seed >= 0),
    params      TEXT NOT NULL,                     -- JSON
    prompt      TEXT NOT NULL,
    answer      TEXT NOT NULL,                     -- JSON
    solution    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (item_id, seed)
);

-- One card per item: its SM-2 state. `due` is a learning day (YYYY-MM-DD), NULL while new.
CREATE TABLE cards (
    item_id           TEXT PRIMARY KEY REFERENCES items (id),
    easiness_milli    INTEGER NOT NULL DEFAULT 2500 CHECK (easiness_milli >= 1300),
    interval          INTEGER NOT NULL DEFAULT 0 CHECK (interval >= 0),
    repetitions       INTEGER NOT NULL DEFAULT 0 CHECK (repetitions >= 0),
    due               TEXT,
    lapses            INTEGER NOT NULL DEFAULT 0 CHECK (lapses >= 0),
    last_reviewed_at  TEXT,
    last_seed         INTEGER,
    buried_until      TEXT
);
CREATE INDEX cards_due ON cards (due);

-- The review log: append-only, one row per grade, with the card state before and after.
CREATE TABLE reviews (
    id                  INTEGER PRIMARY KEY,
    reviewed_at         TEXT NOT NULL,
    day                 TEXT NOT NULL,             -- the learning day of reviewed_at
    item_id             TEXT NOT NULL REFERENCES items (id),
    seed                INTEGER,
    quality             INTEGER NOT NULL CHECK (quality BETWEEN 0 AND 5),
    answer              TEXT,
    correct             INTEGER CHECK (correct IN (0, 1)),
    response_ms         INTEGER CHECK (response_ms >= 0),
    redrill             INTEGER NOT NULL DEFAULT 0 CHECK (redrill IN (0, 1)),
    easiness_before     INTEGER NOT NULL,
    interval_before     INTEGER NOT NULL,
    repetitions_before  INTEGER NOT NULL,
    due_before          TEXT,
    easiness_after      INTEGER NOT NULL,
    interval_after      INTEGER NOT NULL,
    repetitions_after   INTEGER NOT NULL,
    due_after           TEXT
);
CREATE INDEX reviews_day ON reviews (day);
CREATE INDEX reviews_item ON reviews (item_id, id);

CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
BEGIN
    SELECT RAISE(ABORT, 'the review log is append-only');
END;
CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
BEGIN
    SELECT RAISE(ABORT, 'the review log is append-only');
END;

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- Decks the learner added with `drill decks add`; the built-in deck is not listed here.
CREATE TABLE decks (
    name      TEXT PRIMARY KEY,
    path      TEXT NOT NULL,
    added_at  TEXT NOT NULL
);
