-- drill schema, version 5: the self-check's attempts and their per-question results.
-- Like the review log, both tables are append-only: an attempt is written once, when it ends.

CREATE TABLE selfcheck_attempts (
    id               INTEGER PRIMARY KEY,
    started_at       TEXT NOT NULL,
    finished_at      TEXT NOT NULL,
    day              TEXT NOT NULL,             -- the learning day of finished_at
    seed             INTEGER NOT NULL CHECK (seed >= 0),
    mode             TEXT NOT NULL CHECK (mode IN ('terminal', 'file')),
    source           TEXT,                      -- the answers file, in file mode
    outcome          TEXT NOT NULL CHECK (outcome IN ('finished', 'timed-out', 'quit')),
    score            INTEGER CHECK (score >= 0 AND score <= total),  -- NULL when quit
    total            INTEGER NOT NULL CHECK (total > 0),
    band             TEXT CHECK (band IN ('ready', 'review', 'redo')),
    duration_ms      INTEGER NOT NULL CHECK (duration_ms >= 0),
    time_limit_s     REAL CHECK (time_limit_s > 0),
    -- The newest review when the attempt was written, so replaying the log (drill doctor)
    -- knows which grades came before the attempt moved a missed card's due day.
    after_review_id  INTEGER NOT NULL DEFAULT 0,
    moved_schedule   INTEGER NOT NULL CHECK (moved_schedule IN (0, 1))
);
CREATE INDEX selfcheck_attempts_day ON selfcheck_attempts (day);

CREATE TABLE selfcheck_results (
    attempt_id  INTEGER NOT NULL REFERENCES selfcheck_attempts (id),
    position    INTEGER NOT NULL,
    item_id     TEXT NOT NULL REFERENCES items (id),
    correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
    answered    INTEGER NOT NULL CHECK (answered IN (0, 1)),
    given       TEXT,                           -- JSON: text, a path or the learner's own mark
    expected    TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (attempt_id, item_id)
);
CREATE INDEX selfcheck_results_item ON selfcheck_results (item_id);

CREATE TRIGGER selfcheck_attempts_no_update BEFORE UPDATE ON selfcheck_attempts
BEGIN
    SELECT RAISE(ABORT, 'self-check attempts are append-only');
END;
CREATE TRIGGER selfcheck_attempts_no_delete BEFORE DELETE ON selfcheck_attempts
BEGIN
    SELECT RAISE(ABORT, 'self-check attempts are append-only');
END;
CREATE TRIGGER selfcheck_results_no_update BEFORE UPDATE ON selfcheck_results
BEGIN
    SELECT RAISE(ABORT, 'self-check results are append-only');
END;
CREATE TRIGGER selfcheck_results_no_delete BEFORE DELETE ON selfcheck_results
BEGIN
    SELECT RAISE(ABORT, 'self-check results are append-only');
END;
