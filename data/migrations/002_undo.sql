-- drill schema, version 2: undoing a grade.
-- The review log stays append-only: an undo is a row here, and the card goes back to the
-- state recorded before the undone grade.

CREATE TABLE undos (
    review_id  INTEGER PRIMARY KEY REFERENCES reviews (id),
    undone_at  TEXT NOT NULL
);

CREATE TRIGGER undos_no_update BEFORE UPDATE ON undos
BEGIN
    SELECT RAISE(ABORT, 'undos are append-only');
END;
CREATE TRIGGER undos_no_delete BEFORE DELETE ON undos
BEGIN
    SELECT RAISE(ABORT, 'undos are append-only');
END;

-- The grades that count: every review that was not undone.
CREATE VIEW live_reviews AS
SELECT r.* FROM reviews r
WHERE NOT EXISTS (SELECT 1 FROM undos u WHERE u.review_id = r.id);
