-- drill schema, version 8: running tallies of the review log, so `drill stats` and the
-- streak read a row per item and per day instead of summing a million reviews.
--
-- The log stays the source of truth. Triggers keep the tallies in step with it: a review
-- added counts, an undo takes its review back out (both tables are append-only, so there is
-- nothing else to follow). `drill doctor` compares the tallies with the log and `--repair`
-- rebuilds them.
--
-- Per item: `reviews` counts every grade that still counts, same-day re-drills included;
-- `graded` leaves re-drills out; `correct` is how many of `graded` were right (the checker
-- said so, or a self-graded card was a pass); `anki` how many of `reviews` came from Anki.
-- Per learning day: `reviews` and `anki` as above.

CREATE TABLE item_tallies (
    item_id  TEXT PRIMARY KEY REFERENCES items (id),
    reviews  INTEGER NOT NULL CHECK (reviews >= 0),
    graded   INTEGER NOT NULL CHECK (graded >= 0),
    correct  INTEGER NOT NULL CHECK (correct >= 0),
    anki     INTEGER NOT NULL CHECK (anki >= 0)
) WITHOUT ROWID;

CREATE TABLE day_tallies (
    day      TEXT PRIMARY KEY,
    reviews  INTEGER NOT NULL CHECK (reviews >= 0),
    anki     INTEGER NOT NULL CHECK (anki >= 0)
) WITHOUT ROWID;

INSERT INTO item_tallies (item_id, reviews, graded, correct, anki)
SELECT item_id, COUNT(*), SUM(redrill = 0), SUM(redrill = 0 AND COALESCE(correct, quality >= 3)),
       SUM(source IS 'anki')
FROM live_reviews GROUP BY item_id;

INSERT INTO day_tallies (day, reviews, anki)
SELECT day, COUNT(*), SUM(source IS 'anki') FROM live_reviews GROUP BY day;

CREATE TRIGGER reviews_tally AFTER INSERT ON reviews
BEGIN
    INSERT INTO item_tallies (item_id, reviews, graded, correct, anki)
    VALUES (NEW.item_id, 1, NEW.redrill = 0,
            NEW.redrill = 0 AND COALESCE(NEW.correct, NEW.quality >= 3), NEW.source IS 'anki')
    ON CONFLICT (item_id) DO UPDATE SET
        reviews = reviews + 1, graded = graded + excluded.graded,
        correct = correct + excluded.correct, anki = anki + excluded.anki;
    INSERT INTO day_tallies (day, reviews, anki) VALUES (NEW.day, 1, NEW.source IS 'anki')
    ON CONFLICT (day) DO UPDATE SET reviews = reviews + 1, anki = anki + excluded.anki;
END;

CREATE TRIGGER undos_tally AFTER INSERT ON undos
BEGIN
    UPDATE item_tallies SET
        reviews = reviews - 1,
        graded = graded - (SELECT redrill = 0 FROM reviews WHERE id = NEW.review_id),
        correct = correct - (SELECT redrill = 0 AND COALESCE(correct, quality >= 3)
                             FROM reviews WHERE id = NEW.review_id),
        anki = anki - (SELECT source IS 'anki' FROM reviews WHERE id = NEW.review_id)
    WHERE item_id = (SELECT item_id FROM reviews WHERE id = NEW.review_id);
    UPDATE day_tallies SET
        reviews = reviews - 1,
        anki = anki - (SELECT source IS 'anki' FROM reviews WHERE id = NEW.review_id)
    WHERE day = (SELECT day FROM reviews WHERE id = NEW.review_id);
END;

-- The failed grades of leeches, read per item and seed without touching the other reviews.
CREATE INDEX reviews_failed ON reviews (item_id, seed, id, day) WHERE quality < 3 AND redrill = 0;

-- Active items in the order they are listed everywhere (built-in deck first, then by deck
-- and place), so listing every item reads an index instead of sorting the table.
CREATE INDEX items_listed ON items (deck != 'dl_foundations', deck, position, id)
    WHERE retired_at IS NULL;
