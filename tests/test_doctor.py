"""drill doctor, drill restore and the automatic backups."""

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from drill import doctor
from drill.backups import prune as prune_backups
from drill.database import backups_dir
from drill.schedule import replay
from drill.store import Store

WHEN = datetime(2026, 11, 25, 9, tzinfo=UTC)


@pytest.fixture
def graded(run, db_path):
    run("status")  # creates and syncs the database
    with Store.open(db_path) as store:
        for day in range(3):
            store.grade("relu", 4, when=WHEN + timedelta(days=day * 7))
        store.grade("mse", 1, when=WHEN)
        store.grade("mse", 5, when=WHEN, redrill=True)
    return db_path


# (grades as (day offset, quality), expected EF thousandths, interval, repetitions, lapses)
REPLAYS = [
    ([], (2500, 0, 0, None, 0)),
    ([(0, 5)], (2600, 1, 1, "2026-11-26", 0)),
    ([(0, 4), (1, 4), (7, 4)], (2500, 15, 3, "2026-12-17", 0)),
    ([(0, 4), (1, 2)], (2500, 1, 0, "2026-11-27", 1)),
    ([(0, 2), (0, 3)], (2360, 1, 1, "2026-11-26", 0)),
]


@pytest.mark.parametrize(("grades", "expected"), REPLAYS)
def test_replay_follows_sm2(grades, expected):
    days = [((WHEN + timedelta(days=d)).date().isoformat(), q) for d, q in grades]
    assert replay(days) == expected


def test_a_healthy_database(run, graded):
    result = run("doctor")
    assert result.exit_code == 0
    assert "is healthy" in result.output


def test_a_tampered_card_is_found_and_repaired(run, graded):
    conn = sqlite3.connect(graded)
    conn.execute("UPDATE cards SET interval = 99, lapses = 7 WHERE item_id = 'relu'")
    conn.commit()
    result = run("doctor")
    assert result.exit_code == 1
    assert "card: relu: the card holds EF 2.50, interval 99" in result.output
    assert "Error: 1 problem found" in result.output
    fixed = run("doctor", "--repair")
    assert fixed.exit_code == 0, fixed.output
    assert "Rebuilt 1 card(s)" in fixed.output
    assert conn.execute("SELECT interval, lapses FROM cards WHERE item_id = 'relu'").fetchone() == (15, 0)


def test_an_orphan_review_is_a_foreign_key_finding(graded):
    conn = sqlite3.connect(graded)  # foreign keys are off on this plain connection
    conn.execute("INSERT INTO reviews (reviewed_at, day, item_id, quality, easiness_before, "
                 "interval_before, repetitions_before, easiness_after, interval_after, "
                 "repetitions_after) VALUES ('x', '2026-11-25', 'ghost', 4, 2500, 0, 0, 2500, 1, 1)")
    conn.commit()
    with Store.open(graded) as store:
        kinds = {f.what for f in doctor.examine(store)}
    assert "foreign-key" in kinds


def test_restore_puts_a_backup_back_and_keeps_the_present(run, run_json, graded, tmp_path):
    copy = tmp_path / "copy.db"
    assert run("backup", str(copy)).exit_code == 0
    with Store.open(graded) as store:
        store.grade("chain-rule", 5, when=WHEN)
    assert run_json("status", "--json")["reviewed_today"] == 3
    result = run("restore", str(copy))
    assert result.exit_code == 0, result.output
    assert run_json("status", "--json")["reviewed_today"] == 2
    kept = next(backups_dir(graded).glob("*before-restore*.db"))
    assert sqlite3.connect(kept).execute(
        "SELECT COUNT(*) FROM reviews WHERE item_id = 'chain-rule'").fetchone() == (1,)


@pytest.mark.parametrize(("content", "words"), [
    (b"not a database at all\n", "not an SQLite file"),
    (b"", "not an SQLite file"),
])
def test_restore_refuses_what_is_not_a_backup(run, graded, tmp_path, content, words):
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    result = run("restore", str(bad))
    assert result.exit_code == 1 and words in result.output
    assert sqlite3.connect(graded).execute("SELECT COUNT(*) FROM reviews").fetchone() == (5,)
    assert not list(backups_dir(graded).glob("*before-restore*"))


def test_a_daily_backup_once_a_day_once_there_are_reviews(run, graded, monkeypatch):
    run("status")
    daily = sorted(p.name for p in backups_dir(graded).glob("*-daily.db"))
    assert len(daily) == 1
    run("status")
    assert len(list(backups_dir(graded).glob("*-daily.db"))) == 1
    monkeypatch.setenv("DRILL_NOW", "2026-11-26T09:00:00+00:00")
    run("status")
    assert len(list(backups_dir(graded).glob("*-daily.db"))) == 2


def test_no_daily_backup_before_anything_is_learned(run, db_path):
    run("status")
    run("status")
    assert not backups_dir(db_path).exists()


def _copies(db_path, names):
    """Sound copies of a real drill database under `names`, oldest first by modification time."""
    import os
    import shutil

    folder = backups_dir(db_path)
    folder.mkdir(exist_ok=True)
    source = db_path.parent / "source.db"
    Store.open(source).close()
    for age, name in enumerate(reversed(names)):
        shutil.copyfile(source, folder / name)
        os.utime(folder / name, (1_700_000_000 - age * 86400,) * 2)
    return folder


def test_pruning_keeps_the_newest_automatic_backups_and_every_manual_one(db_path):
    folder = _copies(db_path, ["drill-20261101-090000-manual.db",
                               *(f"drill-202611{day:02d}-090000-daily.db" for day in range(1, 15))])
    removed = prune_backups(db_path, keep=10)
    assert len(removed) == 4
    left = sorted(p.name for p in folder.iterdir())
    assert "drill-20261101-090000-manual.db" in left
    assert left[0] == "drill-20261101-090000-manual.db" and "drill-20261105-090000-daily.db" in left
    assert "drill-20261104-090000-daily.db" not in left


def test_pruning_leaves_other_databases_and_restore_copies_alone(db_path):
    folder = _copies(db_path, [*(f"drill-work-202611{day:02d}-090000-daily.db" for day in range(1, 13)),
                               "drill-20261101-090000-before-restore.db",
                               "drill-20261102-090000-daily.db"])
    assert prune_backups(db_path, keep=1) == []
    assert len(list(folder.iterdir())) == 14


def test_a_database_from_before_migration_4_can_still_grade_and_undo(db_path):
    from drill import migrations

    conn = sqlite3.connect(db_path, isolation_level=None)
    for migration in migrations.migrations()[:3]:
        for statement in migrations._statements(migration.sql):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {migration.version}")
    conn.close()
    with Store.open(db_path) as store:
        store.sync_items("deck", [{"id": "a", "kind": "recall", "title": "A", "position": 1,
                                   "tags": [], "content": {}}], WHEN)
        store.grade("a", 4, when=WHEN, seed=3)
        assert store.undo_last(WHEN)["item_id"] == "a"
        assert migrations.schema_version(store.conn) == migrations.latest_version()
