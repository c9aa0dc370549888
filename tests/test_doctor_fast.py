"""The streaming doctor finds what the plain one found.

`plain_examine` below is how `drill doctor` worked before it streamed the log: SQLite's
integrity_check, the foreign-key check, a scan of every column for text that is not UTF-8,
each item's content parsed and hashed, and every card against `replay_log` (each grade through
`sm2.review`, the whole log in memory). The fast replay is held equal to `schedule.replay` for
every history hypothesis finds, and the doctor's findings to the plain ones on random logs
(re-drills, undos, reviews from Anki merged by time, self-check misses) and on planted damage.
"""

from __future__ import annotations

import json
import random
import sqlite3
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drill import doctor, schedule
from drill.reviewlog import replay_log
from drill.schedule import NotAGrade, fold, replay, replay_fast
from drill.sm2 import MAX_INTERVAL
from drill.store import Store, content_digest

FIRST = date(2024, 1, 1)
SYNCED = datetime(2026, 1, 1, 9, tzinfo=UTC)
ITEMS = ["a", "b", "c", "d"]


def plain_examine(store: Store) -> list[doctor.Finding]:
    """`drill doctor --full` as it was before it streamed the review log."""
    conn = store.conn
    findings = [doctor.Finding("integrity", r) for (r,) in conn.execute("PRAGMA integrity_check")
                if r != "ok"]
    findings += [doctor.Finding("foreign-key", f"{t} row {rowid} points to a missing {parent}")
                 for t, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")]
    text = list(doctor._bad_text(store))
    if text:
        return findings + text
    for item_id, kind, title, tags, content, digest in conn.execute(
            "SELECT id, kind, title, tags, content, content_hash FROM items ORDER BY id"):
        try:
            ok = content_digest({"kind": kind, "title": title, "tags": json.loads(tags),
                                 "content": json.loads(content)}) == digest
        except (ValueError, TypeError):
            ok = False
        if not ok:
            findings.append(doctor.Finding(
                "content", f"{item_id}: its stored content does not match the hash it was saved "
                           "with; `drill doctor --repair` reloads it from its deck"))
    expected = replay_log(conn)
    for item_id, *actual in conn.execute(
            "SELECT item_id, easiness_milli, interval, repetitions, due, lapses FROM cards"):
        if expected[item_id] != tuple(actual):
            findings.append(doctor.Finding(
                "card", f"{item_id}: the card holds {doctor._show(tuple(actual))}, its review "
                        f"log gives {doctor._show(expected[item_id])}"))
    return findings


# -- the replay in integers equals sm2.review's --------------------------------------------------

grades = st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 5)), max_size=60)
steps = st.lists(st.integers(0, 3), max_size=60)  # id increments; 0: an Anki review's position
misses = st.lists(st.tuples(st.integers(0, 200), st.integers(0, 3000)), max_size=4)


def _day(offset: int) -> str:
    return (FIRST + timedelta(days=offset)).isoformat()


@settings(max_examples=600, deadline=None)
@given(grades, steps, misses)
def test_the_integer_replay_equals_sm2_review_for_any_history(history, increments, missed):
    days = [(_day(d), q) for d, q in history]
    ids, position = [], 1
    for n in range(len(days)):
        position += increments[n] if n < len(increments) else 1
        ids.append(position)
    missed = [(after, _day(d)) for after, d in missed]
    assert replay_fast(days, missed, ids) == replay(days, missed, ids)
    assert replay_fast(days) == replay(days)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ITEMS), st.integers(0, 3000), st.integers(0, 5)), max_size=80))
def test_one_pass_over_a_whole_log_replays_each_item_as_replay_does(log):
    rows = sorted((item, n, _day(d), q, None) for n, (item, d, q) in enumerate(log))
    results = {item: schedule.finish(folded) for item, folded in schedule.fold_log(rows)}
    assert results == {item: replay([(r[2], r[3]) for r in rows if r[0] == item], (),
                                    [r[1] for r in rows if r[0] == item])
                       for item in {r[0] for r in rows}}


@pytest.mark.parametrize(("quality", "count"), [(5, 14), (5, 40), (4, 30), (3, 60)])
def test_the_interval_cap_holds_in_the_integer_replay(quality, count):
    days = [(_day(n), quality) for n in range(count)]
    fast = replay_fast(days)
    assert fast == replay(days)
    assert fast[1] <= MAX_INTERVAL


@pytest.mark.parametrize("quality", [6, -1, "4", None, 2.5])
def test_a_quality_that_is_not_a_grade_is_refused(quality):
    with pytest.raises(NotAGrade):
        fold([("relu", 1, "2026-01-01", quality, None)])


# -- the doctor on random logs ---------------------------------------------------------------------

events = st.lists(st.tuples(
    st.sampled_from(["grade", "grade", "grade", "grade", "redrill", "anki", "anki", "undo", "miss"]),
    st.sampled_from(ITEMS), st.integers(0, 30), st.integers(0, 23), st.integers(0, 5),
    st.booleans()), max_size=50)


def fresh_store(folder: Path) -> Store:
    store = Store.open(folder / "drill.db")
    store.sync_items("deck", [{"id": i, "kind": "recall", "title": f"Item {i}", "position": n,
                               "tags": [], "content": {"prompt": "?"}} for n, i in enumerate(ITEMS)],
                     SYNCED)
    return store


def write_log(conn: sqlite3.Connection, history: list[tuple], rng: random.Random) -> None:
    """Rows straight into the log: grades, re-drills, Anki's reviews at their own times
    (often before drill's), undos of any review, scored self-checks that missed an item."""
    anki = 0
    for kind, item, offset, hour, quality, flag in history:
        day = _day(offset)
        at = f"{day}T{hour:02d}:00:00+00:00"
        if kind in ("grade", "redrill", "anki"):
            source = "anki" if kind == "anki" else None
            anki += kind == "anki"
            conn.execute(
                "INSERT INTO reviews (reviewed_at, day, item_id, quality, redrill, easiness_before, "
                "interval_before, repetitions_before, easiness_after, interval_after, "
                "repetitions_after, source, anki_id, anki_card, anki_kind) "
                "VALUES (?, ?, ?, ?, ?, 2500, 0, 0, 2500, 1, 1, ?, ?, ?, ?)",
                [at, day, item, quality, int(kind == "redrill" or (kind == "anki" and flag)), source,
                 anki if source else None, f"card-{item}" if source else None,
                 "review" if source else None])
        elif kind == "undo":
            ids = [r[0] for r in conn.execute(
                "SELECT id FROM reviews WHERE id NOT IN (SELECT review_id FROM undos)")]
            if ids:
                conn.execute("INSERT INTO undos (review_id, undone_at) VALUES (?, ?)",
                             [rng.choice(ids), at])
        else:
            (latest,) = conn.execute("SELECT COALESCE(MAX(id), 0) FROM reviews").fetchone()
            attempt = conn.execute(
                "INSERT INTO selfcheck_attempts (started_at, finished_at, day, seed, mode, outcome, "
                "score, total, band, duration_ms, after_review_id, moved_schedule) "
                "VALUES (?, ?, ?, 0, 'file', 'finished', 0, 12, 'redo', 1000, ?, ?)",
                [at, at, day, latest, int(flag or quality > 1)]).lastrowid
            conn.execute("INSERT INTO selfcheck_results (attempt_id, position, item_id, correct, "
                         "answered, expected) VALUES (?, 1, ?, 0, 1, '?')", [attempt, item])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events, st.integers(0, 2**32), st.sets(st.sampled_from(ITEMS)))
def test_the_streamed_doctor_finds_what_the_plain_one_found(history, seed, kept):
    with tempfile.TemporaryDirectory() as tmp:
        store = fresh_store(Path(tmp))
        try:
            write_log(store.conn, history, random.Random(seed))
            # Cards as their log gives them, but for those not `kept`, which hold another state.
            states = replay_log(store.conn)
            for item in ITEMS:
                ef, interval, reps, due, lapses = states[item]
                if item not in kept:
                    interval += 7
                store.conn.execute(
                    "UPDATE cards SET easiness_milli = ?, interval = ?, repetitions = ?, due = ?, "
                    "lapses = ? WHERE item_id = ?", [ef, interval, reps, due, lapses, item])
            plain = plain_examine(store)
            assert doctor.examine(store) == plain
            assert doctor.examine(store, full=True) == plain
            assert len(plain) == len(set(ITEMS) - kept)
            assert {m[0]: m[1] for m in doctor._card_mismatches(store.conn)} == {
                item: states[item] for item in ITEMS if item not in kept}
            assert doctor.repair(store) == len(plain)
            assert doctor.examine(store) == []
        finally:
            store.close()


# -- planted damage ------------------------------------------------------------------------------


def _graded(run, db_path) -> None:
    run("status")
    with Store.open(db_path) as store:
        when = SYNCED
        for day in range(4):
            store.grade("relu", 4, when=when + timedelta(days=day * 6))
        store.grade("mse", 1, when=when)
        store.grade("mse", 5, when=when, redrill=True)
        store.grade("softmax", 5, when=when)
        store.undo_last(when)
        store.import_anki([{
            "item_id": "relu", "seed": None, "anki_id": 1000, "anki_card": "g:0",
            "anki_kind": "review", "reviewed_at": when + timedelta(days=3, hours=2),
            "quality": 2, "correct": False, "response_ms": 900, "moves": True}])


DAMAGE = {
    "a card edited": ["UPDATE cards SET interval = 99, lapses = 7 WHERE item_id = 'relu'"],
    "two cards edited": ["UPDATE cards SET easiness_milli = 1300 WHERE item_id IN ('mse', 'dropout')"],
    "a content hash wrong": ["UPDATE items SET content_hash = 'x' || content_hash WHERE id = 'relu'"],
    "content edited": ["UPDATE items SET content = replace(content, 'ReLU', 'RELU') WHERE id = 'relu'"],
    "tags edited": ["UPDATE items SET tags = '[\"x\"]' WHERE id = 'mse'"],
    "content not JSON": ["UPDATE items SET content = '{' WHERE id = 'mse'"],
    "a title not UTF-8": ["UPDATE items SET title = CAST(x'52654c55ff' AS TEXT) WHERE id = 'relu'"],
    "a review's answer not UTF-8": [
        "DROP TRIGGER reviews_no_update",
        "UPDATE reviews SET answer = CAST(x'32c328' AS TEXT) WHERE item_id = 'relu'"],
    "an undone review's day not UTF-8": [
        "DROP TRIGGER reviews_no_update",
        "UPDATE reviews SET day = CAST(x'32ff' AS TEXT) WHERE id IN (SELECT review_id FROM undos)"],
    "a re-drill's time not UTF-8": [
        "DROP TRIGGER reviews_no_update",
        "UPDATE reviews SET reviewed_at = CAST(x'c0' AS TEXT) WHERE redrill = 1"],
    "a card's date not UTF-8": [
        "UPDATE cards SET last_reviewed_at = CAST(x'ed' AS TEXT) WHERE item_id = 'relu'"],
    "a setting not UTF-8": ["INSERT OR REPLACE INTO settings (key, value) VALUES ('x', CAST(x'ff' AS TEXT))"],
    "a review of an item that is not there": [(
        "INSERT INTO reviews (reviewed_at, day, item_id, quality, easiness_before, interval_before, "
        "repetitions_before, easiness_after, interval_after, repetitions_after) VALUES "
        "('2026-01-02T09:00:00+00:00', '2026-01-02', 'ghost', 4, 2500, 0, 0, 2500, 1, 1)")],
    "a card of an item that is not there": ["INSERT INTO cards (item_id) VALUES ('ghost')"],
    "a self-check miss the card did not follow": [
        ("INSERT INTO selfcheck_attempts (started_at, finished_at, day, seed, mode, outcome, score, "
         "total, band, duration_ms, after_review_id, moved_schedule) VALUES ('2026-01-02T09:00:00+00:00', "
         "'2026-01-02T09:00:00+00:00', '2026-01-02', 0, 'file', 'finished', 0, 12, 'redo', 1, "
         "(SELECT MAX(id) FROM reviews), 1)"),
        ("INSERT INTO selfcheck_results (attempt_id, position, item_id, correct, answered, expected) "
         "VALUES (last_insert_rowid(), 1, 'relu', 0, 1, '?')")],
    "an Anki review's card edited": ["UPDATE cards SET repetitions = 5 WHERE item_id = 'relu'"],
}


@pytest.mark.parametrize("name", list(DAMAGE))
def test_planted_damage_gives_the_findings_it_gave(run, db_path, name):
    _graded(run, db_path)
    conn = sqlite3.connect(db_path)
    for sql in DAMAGE[name]:
        conn.execute(sql)
    conn.commit()
    conn.close()
    with Store.open(db_path) as store:
        plain = plain_examine(store)
        assert plain, "the damage is found"
        assert doctor.examine(store) == plain
        assert doctor.examine(store, full=True) == plain
    result = run("doctor")
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if not line.startswith("Error:")] == \
        [f"{f.what}: {f.message}" for f in plain]


def test_an_undamaged_database_is_healthy_both_ways(run, db_path):
    _graded(run, db_path)
    with Store.open(db_path) as store:
        assert plain_examine(store) == doctor.examine(store) == doctor.examine(store, full=True) == []
    for argv, words in ((["doctor"], "quick integrity check ok"), (["doctor", "--full"], "full integrity check ok")):
        result = run(*argv)
        assert result.exit_code == 0 and words in result.output


# -- what only the full check sees -----------------------------------------------------------------


def _index_not_its_table(db_path) -> None:
    """reviews_day declared over another column than the one its entries hold: each page is
    sound, so only integrity_check, which compares every index with its table, sees it."""
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX reviews_day ON reviews (quality)' "
                 "WHERE name = 'reviews_day'")
    conn.commit()
    conn.close()


def test_only_the_full_check_compares_indexes_with_their_tables(run, db_path):
    _graded(run, db_path)
    _index_not_its_table(db_path)
    quick = run("doctor")
    assert quick.exit_code == 0, quick.output
    full = run("doctor", "--full")
    assert full.exit_code == 1
    assert "integrity: row 1 missing from index reviews_day" in full.output
    with Store.open(db_path) as store:
        assert doctor.examine(store, full=True) == plain_examine(store)
        assert doctor.examine(store) == []


def test_repair_runs_the_full_check(run, db_path):
    _graded(run, db_path)
    _index_not_its_table(db_path)
    result = run("doctor", "--repair")
    assert result.exit_code == 1 and "missing from index reviews_day" in result.output


def test_a_check_constraint_broken_is_found_by_the_quick_check_too(run, db_path):
    """The daily backup's quick_check reports it and sends the learner to `drill doctor`."""
    _graded(run, db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("UPDATE cards SET interval = -3 WHERE item_id = 'mse'")
    conn.commit()
    conn.close()
    for argv in (["doctor"], ["doctor", "--full"]):
        result = run(*argv)
        assert result.exit_code == 1 and "integrity: CHECK constraint failed in cards" in result.output


def test_the_full_check_is_sqlites_integrity_check(db_path, run, monkeypatch):
    from drill import database as database_module

    run("status")
    pragmas, connect = [], database_module._connect

    def traced(*args, **kwargs):  # the check runs on a connection of its own
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(pragmas.append)
        return conn

    monkeypatch.setattr(database_module, "_connect", traced)
    with Store.open(db_path) as store:
        doctor.examine(store)
        doctor.examine(store, full=True)
    checks = [p for p in pragmas if "_check" in p and "foreign_key" not in p]
    assert checks == ["PRAGMA quick_check", "PRAGMA integrity_check"]


def test_the_check_beside_the_replay_stops_when_the_replay_fails(db_path, run, monkeypatch):
    run("status")

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(doctor, "_foreign_keys", broken)
    with Store.open(db_path) as store, pytest.raises(Exception, match="disk I/O error"):
        doctor.examine(store, full=True)
    import threading

    assert not [t for t in threading.enumerate() if t.name == "drill-doctor-integrity"]


# -- histories the plain replay crashed on ---------------------------------------------------------


def _log(conn, rows: list[tuple]) -> None:
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.executemany(
        "INSERT INTO reviews (reviewed_at, day, item_id, quality, easiness_before, interval_before, "
        "repetitions_before, easiness_after, interval_after, repetitions_after) "
        "VALUES (? || 'T12:00:00+00:00', ?, 'relu', ?, 2500, 0, 0, 2500, 1, 1)",
        [(day, day, q) for day, q in rows])
    conn.commit()


@pytest.mark.parametrize(("rows", "words"), [
    ([(_day(n), 5) for n in range(60)], "interval 36500"),  # the cap, never OverflowError
    ([("9950-01-01", 5)] * 20, "a day that is not a date"),  # due past the year 9999
    ([("2026-13-01", 4)], "a day that is not a date"),
    ([("2026-01-01", 4), ("2026-01-02", 9)], "a grade of 9, not 0 to 5"),
])
def test_a_log_the_plain_replay_could_not_take_is_a_finding(run, db_path, rows, words):
    run("status")
    conn = sqlite3.connect(db_path)
    _log(conn, rows)
    conn.close()
    result = run("doctor")
    assert result.exit_code == 1 and words in result.output
    assert "Traceback" not in result.output


def test_a_card_holding_a_huge_interval_is_shown(run, db_path):
    run("status")
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE cards SET interval = 10000000000, due = '9999-12-31' WHERE item_id = 'relu'")
    conn.commit()
    result = run("doctor")
    assert result.exit_code == 1 and "interval 10000000000" in result.output


# -- many findings ---------------------------------------------------------------------------------


def test_many_findings_show_the_first_ones_and_how_many_more(run, db_path):
    run("status")
    with Store.open(db_path) as store:
        store.sync_items("many", [{"id": f"m{n:02d}", "kind": "recall", "title": f"M {n}",
                                   "position": n, "tags": [], "content": {}} for n in range(30)],
                         SYNCED)
        store.conn.execute("UPDATE cards SET interval = 5")
    result = run("doctor")
    shown = [line for line in result.output.splitlines() if line.startswith("card: ")]
    assert result.exit_code == 1 and len(shown) == doctor.SHOWN
    assert f"and {42 - doctor.SHOWN} more; --all lists every one" in result.output
    assert "Error: 42 problems found" in result.output
    everything = run("doctor", "--all")
    assert len([line for line in everything.output.splitlines() if line.startswith("card: ")]) == 42
    assert "more; --all" not in everything.output


def test_the_listing_says_how_many_more():
    findings = [doctor.Finding("card", f"item-{n}") for n in range(25_000)]
    lines = doctor.listing(findings)
    assert lines[:2] == ["card: item-0", "card: item-1"]
    assert lines[-1] == f"and {25_000 - doctor.SHOWN:,} more; --all lists every one"
    assert len(lines) == doctor.SHOWN + 1
    assert len(doctor.listing(findings, None)) == 25_000
    assert doctor.listing(findings[:3]) == ["card: item-0", "card: item-1", "card: item-2"]


def test_doctor_help_names_the_full_check(run):
    result = run("doctor", "--help")
    assert "--full" in result.output and "integrity check" in result.output and "--all" in result.output
