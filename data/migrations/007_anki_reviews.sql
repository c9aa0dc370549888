-- drill schema, version 7: reviews done in Anki, brought back by `drill import anki`.
-- They join the one review log (append-only as ever), marked with where they came from:
-- `source` is 'anki' (NULL for drill's own), `anki_id` Anki's review id (the answer time in
-- milliseconds) and `anki_card` the card (note GUID and card number), which together make
-- a second import of the same reviews add nothing; `anki_kind` is the kind of review Anki
-- logged (learn, review, relearn, filtered).

ALTER TABLE reviews ADD COLUMN source TEXT CHECK (source IN ('anki'));
ALTER TABLE reviews ADD COLUMN anki_id INTEGER;
ALTER TABLE reviews ADD COLUMN anki_card TEXT;
ALTER TABLE reviews ADD COLUMN anki_kind TEXT
    CHECK (anki_kind IN ('learn', 'review', 'relearn', 'filtered'));
CREATE UNIQUE INDEX reviews_anki ON reviews (anki_card, anki_id) WHERE source = 'anki';
