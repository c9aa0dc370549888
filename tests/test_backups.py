"""Backups that can be trusted and a restore that always works, through the real `drill`.

Each test builds a real database, damages or constrains it the way a crash, a full disk or
a hostile path would, runs `python -m drill` and then checks the files themselves.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from drill.collection import open_collection
from drill.database import backups_dir

WHEN = datetime(2026, 11, 20, 9, tzinfo=UTC)
DAY0 = date(2026, 11, 25)


def sound(path: Path) -> bool:
    """A whole drill database: it opens, passes quick_check and holds the review log."""
    uri = f"{path.absolute().as_uri()}?mode=ro&immutable=1"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            return (conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
                    and conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] > 0)
    except sqlite3.Error:
        return False


def _at(day: int) -> dict:
    return {"DRILL_NOW": f"{DAY0 + timedelta(days=day)}T09:00:00+00:00"}


def _graded(db_path: Path, grades: int = 1) -> Path:
    with open_collection(db_path) as collection:
        for n in range(grades):
            collection.store.grade("relu", 4, when=WHEN + timedelta(days=n), answer=f"mark {n}")
    return db_path


def _answers(db_path: Path) -> list[str]:
    with closing(sqlite3.connect(db_path)) as conn:
        return [r[0] for r in conn.execute("SELECT answer FROM reviews ORDER BY id")]


def _journal_mode(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]


def _ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture
def tmpfs(tmp_path):
    """A small file system of its own (tmpfs), to fill up or to make read-only."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _fill(mount: Path, leave_kb: int) -> None:
    """Take all but about `leave_kb` of the free space of a file system."""
    free = shutil.disk_usage(mount).free
    with open(mount / "filler", "wb") as fh:
        fh.write(b"\0" * max(0, free - leave_kb * 1024))


# -- copies ----------------------------------------------------------------------------------


def test_backups_are_rollback_journal_files_that_restore_from_read_only_media(
        drill_proc, db_path, tmpfs):
    _graded(db_path, grades=2)
    made = _ok(drill_proc("backup", env=_at(0)))
    copies = sorted(backups_dir(db_path).glob("*.db"))
    assert len(copies) == 2 and all(_journal_mode(c) == "delete" for c in copies), made.stdout
    shutil.copyfile(copies[-1], tmpfs / "usb copy.db")
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("DELETE FROM settings WHERE key = 'new_per_day'")  # any later change
    _graded(db_path)  # a third grade, which the restore takes back
    _ok(drill_proc("restore", str(tmpfs / "usb copy.db"), env=_at(0)))
    assert _answers(db_path) == ["mark 0", "mark 1"]
    assert sorted(os.listdir(tmpfs)) == ["usb copy.db"]  # nothing written on the medium


def test_a_damaged_database_never_pushes_good_copies_out(drill_proc, db_path):
    _graded(db_path)
    for day in range(10):  # ten daily copies
        _ok(drill_proc("status", env=_at(day)))
    good = sorted(p.name for p in backups_dir(db_path).glob("*-daily.db"))
    assert len(good) == 10
    with closing(sqlite3.connect(db_path)) as conn:  # damage an index status never reads
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master "
                               "WHERE name = 'selfcheck_attempts_day'").fetchone()
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    with open(db_path, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xff" * 16)
    for day in range(10, 22):
        shown = _ok(drill_proc("status", env=_at(day)))
        if day == 10:
            assert "backups are kept" in shown.stderr and "drill doctor" in shown.stderr
    assert sorted(p.name for p in backups_dir(db_path).glob("*-daily.db")) == good


def test_copies_that_are_empty_or_half_written_never_count_as_good(drill_proc, db_path):
    _graded(db_path)
    for day in range(10):
        _ok(drill_proc("status", env=_at(day)))
    folder = backups_dir(db_path)
    good = sorted(folder.glob("*-daily.db"))
    half = folder / "drill-20261230-090000-daily.db"
    half.write_bytes(good[-1].read_bytes()[: len(good[-1].read_bytes()) // 2])
    (folder / "drill-20261231-090000-daily.db").write_bytes(b"")
    _ok(drill_proc("status", env=_at(40)))  # a new day: one more copy, then pruning
    left = sorted(folder.glob("*-daily.db"))
    assert [p for p in good[1:] if p not in left] == []  # nine old good copies stay...
    assert sum(sound(p) for p in left) == 10  # ...with today's: ten good ones
    assert good[0] not in left


def test_a_failed_daily_backup_warns_once_and_the_command_runs(drill_proc, tmpfs):
    db_path = _graded(tmpfs / "drill.db", grades=3)
    _fill(tmpfs, leave_kb=60)  # room to read, not for a copy of the database
    env = {**_at(3), "DRILL_DB": str(db_path)}
    first = _ok(drill_proc("status", env=env))
    assert "due" in first.stdout
    assert first.stderr.startswith("Warning: today's backup") and "disk is full" in first.stderr
    second = _ok(drill_proc("status", env=env))
    assert second.stderr == ""
    assert list(backups_dir(db_path).iterdir()) == []  # no half copy under any name
    (tmpfs / "filler").unlink()
    _ok(drill_proc("status", env={**_at(4), "DRILL_DB": str(db_path)}))
    assert [sound(p) for p in backups_dir(db_path).glob("*.db")] == [True]


def test_a_full_disk_says_so_and_loses_nothing(drill_proc, tmpfs):
    db_path = _graded(tmpfs / "drill.db", grades=2)
    env = {**_at(0), "DRILL_DB": str(db_path)}
    _ok(drill_proc("status", env=env))  # today's backup made
    _fill(tmpfs, leave_kb=0)
    shown = _ok(drill_proc("status", env=env))  # what is saved can still be read
    assert "11 new" in shown.stdout and "is full" in shown.stderr
    for args in (["config", "new-per-day", "3"], ["undo"]):
        failed = drill_proc(*args, env=env)
        assert failed.returncode == 1 and "Traceback" not in failed.stderr
        last = failed.stderr.strip().splitlines()[-1]
        assert "is full" in last and "nothing was lost" in last, failed.stderr
    (tmpfs / "filler").unlink()
    assert _answers(db_path) == ["mark 0", "mark 1"]


# -- restore -------------------------------------------------------------------------------


NAMES = ["old#new.db", "a?b.db", "x%00y.db", "p%41q.db", "r&s=t.db", "with space.db",
         "é t%20é.db", "日本語.db"]


@pytest.mark.parametrize("name", NAMES)
def test_restore_reads_exactly_the_file_named(drill_proc, db_path, tmp_path, name):
    _graded(db_path, grades=1)
    wanted, decoy = tmp_path / "keep" / name, tmp_path / "keep" / "old"
    wanted.parent.mkdir()
    _ok(drill_proc("backup", str(wanted)))
    _graded(db_path, grades=3)  # the database moves on: 4 grades
    _ok(drill_proc("backup", str(decoy)))
    (tmp_path / "keep" / "a").write_bytes(b"")  # what `a?b.db` read as a URI would name
    done = _ok(drill_proc("restore", str(wanted)))
    assert "Restored" in done.stdout
    assert _answers(db_path) == ["mark 0"]


def _zero(path: Path) -> None:
    path.write_bytes(b"")


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _garbage(path: Path) -> None:
    path.write_bytes(b"this is not a database\n" * 200)


def _bad_text(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE settings SET value = CAST(x'c3ff' AS TEXT)")
        conn.execute("INSERT OR REPLACE INTO settings VALUES ('day_start', CAST(x'ff' AS TEXT))")
        conn.commit()


def _bad_page(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'reviews'").fetchone()
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\x00" * 64)


@pytest.mark.parametrize(("damage", "aside"), [(_zero, ".damaged"), (_truncated, ".damaged"),
                                           (_garbage, ".damaged"), (_bad_page, ".damaged"),
                                           (_bad_text, ".db")])
def test_restore_works_whatever_state_the_database_is_in(drill_proc, db_path, tmp_path,
                                                         damage, aside):
    _graded(db_path, grades=2)
    _ok(drill_proc("backup", str(tmp_path / "good.db")))
    _graded(db_path)
    before = db_path.read_bytes()
    damage(db_path)
    damaged = db_path.read_bytes()
    assert damaged != before
    done = _ok(drill_proc("restore", str(tmp_path / "good.db")))
    assert "Restored" in done.stdout and "kept in" in done.stdout
    assert _answers(db_path) == ["mark 0", "mark 1"]
    _ok(drill_proc("status"))
    kept = [p for p in backups_dir(db_path).iterdir()
            if "before-restore" in p.name and not p.name.endswith(("-wal", "-journal"))]
    assert len(kept) == 1 and kept[0].name.endswith(aside), kept
    if aside == ".damaged":  # the damaged file itself, byte for byte: nothing is thrown away
        assert kept[0].read_bytes() == damaged
        assert not sound(kept[0]) or damage is _bad_page


def test_an_empty_database_beside_its_backups_is_never_a_fresh_start(drill_proc, db_path):
    _graded(db_path, grades=2)
    _ok(drill_proc("status"))  # today's backup
    db_path.write_bytes(b"")
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    for args in (["status"], ["items"], ["stats"]):
        refused = drill_proc(*args)
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
        assert "empty" in refused.stderr and "drill restore" in refused.stderr
    assert db_path.read_bytes() == b""
    newest = refused.stderr.split("drill restore ")[1].split("`")[0]
    _ok(drill_proc("restore", newest))
    assert _answers(db_path) == ["mark 0", "mark 1"]


def test_output_paths_that_are_the_database_are_refused_for_backup(drill_proc, db_path, tmp_path):
    _graded(db_path)
    os.link(db_path, tmp_path / "hard.db")
    (tmp_path / "soft.db").symlink_to(db_path)
    for target in ["drill.db", "sub/../drill.db", "hard.db", "soft.db", "drill.db-wal",
                   "drill.db-journal", "./drill.db-shm"]:
        refused = drill_proc("backup", target, cwd=tmp_path)
        assert refused.returncode == 1 and "your drill database" in refused.stderr, target
    assert _answers(db_path) == ["mark 0"]
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# -- doctor ----------------------------------------------------------------------------------


def test_doctor_repair_never_overwrites_a_grade_made_while_it_waits(drill_proc, db_path):
    """doctor --repair computes its fixes inside its write transaction: a grade another
    drill commits while doctor waits for the lock is part of what it computes from."""
    from drill.schedule import replay

    _graded(db_path, grades=3)
    _ok(drill_proc("status"))  # today's backup and sync done: doctor's own start only reads
    with closing(sqlite3.connect(db_path, isolation_level=None)) as conn:
        conn.execute("UPDATE cards SET interval = 99 WHERE item_id = 'relu'")  # a bad card
        conn.execute("BEGIN IMMEDIATE")  # another drill, about to grade relu
        doctor = subprocess.Popen(
            [os.sys.executable, "-m", "drill", "doctor", "--repair"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 20
        line = doctor.stdout.readline()  # doctor has examined and found the card
        assert line.startswith("card: relu"), line + doctor.stderr.read()
        time.sleep(0.5)  # and is now waiting for the lock
        assert doctor.poll() is None and time.monotonic() < deadline
        rows = conn.execute("SELECT day, quality FROM live_reviews WHERE item_id = 'relu' "
                            "AND redrill = 0 ORDER BY id").fetchall()
        day = (WHEN + timedelta(days=5)).date().isoformat()
        ef, interval, reps, due, lapses = replay([*rows, (day, 5)])
        conn.execute(
            "INSERT INTO reviews (reviewed_at, day, item_id, quality, redrill, easiness_before, "
            "interval_before, repetitions_before, easiness_after, interval_after, "
            "repetitions_after, due_after) VALUES (?, ?, 'relu', 5, 0, 0, 0, 0, ?, ?, ?, ?)",
            [f"{day}T09:00:00+00:00", day, ef, interval, reps, due])
        conn.execute("UPDATE cards SET easiness_milli = ?, interval = ?, repetitions = ?, "
                     "due = ?, lapses = ? WHERE item_id = 'relu'", [ef, interval, reps, due, lapses])
        conn.execute("COMMIT")
        out, err = doctor.communicate(timeout=30)
    assert doctor.returncode == 0, line + out + err
    assert "healthy" in out
    _ok(drill_proc("doctor"))


def test_doctor_finds_stored_content_changed_behind_its_back_and_reloads_it(drill_proc, db_path):
    _graded(db_path)
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("UPDATE items SET content = json_set(content, '$.answer', 'wrong') "
                     "WHERE id = 'softmax'")
        conn.commit()
    found = drill_proc("doctor")
    assert found.returncode == 1 and "content: softmax" in found.stdout
    _ok(drill_proc("doctor", "--repair"))
    _ok(drill_proc("doctor"))


def test_doctor_reports_text_that_is_not_utf8_and_restore_still_works(drill_proc, db_path, tmp_path):
    _graded(db_path, grades=2)
    _ok(drill_proc("backup", str(tmp_path / "good.db")))
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("UPDATE items SET title = CAST(x'ff41' AS TEXT) WHERE id = 'mse'")
        conn.commit()
    found = drill_proc("doctor")
    assert found.returncode == 1 and "items.title" in found.stdout and "UTF-8" in found.stdout
    listed = drill_proc("items")
    assert listed.returncode == 1 and "damaged" in listed.stderr and "Traceback" not in listed.stderr
    _ok(drill_proc("restore", str(tmp_path / "good.db")))
    _ok(drill_proc("doctor"))


def test_the_next_start_clears_what_a_killed_drill_left_and_nothing_else(drill_proc, db_path):
    from drill.parts import prefix

    _graded(db_path)
    _ok(drill_proc("status"))
    dead = subprocess.Popen(["true"])
    dead.wait()
    folders = (db_path.parent, backups_dir(db_path))
    stale = [f / f"{prefix(dead.pid)}0a1b2c3d.db.part" for f in folders]
    stale += [Path(f"{stale[0]}-wal"), Path(f"{stale[0]}-journal")]
    live = [f / f"{prefix(os.getpid())}0a1b2c3d.db.part" for f in folders]  # this test: alive
    for path in stale + live:
        path.write_bytes(b"half a copy")
    _ok(drill_proc("status"))
    assert [p for p in stale if p.exists()] == []
    assert all(p.exists() for p in live)


def test_a_leftover_wal_never_meets_the_restored_database(drill_proc, db_path, tmp_path):
    _graded(db_path, grades=2)
    _ok(drill_proc("backup", str(tmp_path / "good.db")))
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE cards SET interval = 999, due = '2099-01-01'")
    wal = Path(f"{db_path}-wal").read_bytes()  # uncheckpointed: the change lives in the -wal
    writer.close()
    db_path.unlink()
    Path(f"{db_path}-wal").write_bytes(wal)  # the database is gone, its -wal is not
    _ok(drill_proc("restore", str(tmp_path / "good.db")))
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT MAX(interval) FROM cards").fetchone() < (999,)
    assert _answers(db_path) == ["mark 0", "mark 1"]


@pytest.mark.parametrize("damage", [None, "index"])
def test_a_drill_that_has_the_database_open_carries_on_with_the_restored_one(
        drill_proc, db_path, tmp_path, damage):
    _graded(db_path, grades=1)
    _ok(drill_proc("backup", str(tmp_path / "good.db")))
    _graded(db_path, grades=3)
    if damage:  # fails quick_check, still works
        with closing(sqlite3.connect(db_path)) as conn:
            (root,) = conn.execute("SELECT rootpage FROM sqlite_master "
                                   "WHERE name = 'selfcheck_attempts_day'").fetchone()
            (page_size,) = conn.execute("PRAGMA page_size").fetchone()
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with open(db_path, "r+b") as fh:
            fh.seek((root - 1) * page_size)
            fh.write(b"\xff" * 16)
    with open_collection(db_path) as other:  # a review running in another terminal
        _ok(drill_proc("restore", str(tmp_path / "good.db")))
        other.store.grade("mse", 5, when=WHEN, answer="after the restore")
    assert _answers(db_path) == ["mark 0", "after the restore"]


def test_a_read_only_database_with_an_interrupted_write_is_never_read_half_done(
        drill_proc, db_path, tmpfs):
    db_path = _graded(tmpfs / "drill.db", grades=2)
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    writer = subprocess.run([os.sys.executable, "-c", (
        "import os, sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "conn.execute('PRAGMA cache_size = 1')\n"
        "conn.execute('BEGIN IMMEDIATE')\n"
        "conn.execute(\"UPDATE items SET content = json_set(content, '$.pad', hex(randomblob(3000)))\")\n"
        "os._exit(9)\n"), str(db_path)])  # killed mid-write: a hot -journal stays
    assert writer.returncode == 9 and Path(f"{db_path}-journal").stat().st_size > 0
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    shown = drill_proc("status", env={"DRILL_DB": str(db_path)})
    assert shown.returncode == 1 and "Traceback" not in shown.stderr
    assert "-journal" in shown.stderr and "writable once" in shown.stderr, shown.stderr
    subprocess.run(["mount", "-o", "remount,rw", str(tmpfs)], check=True)
    _ok(drill_proc("doctor", env={"DRILL_DB": str(db_path)}))  # rolled back: healthy


def test_a_database_whose_header_was_overwritten_names_the_backup_to_restore(drill_proc, db_path):
    _graded(db_path, grades=2)
    _ok(drill_proc("status"))  # today's backup
    with open(db_path, "r+b") as fh:
        fh.write(b"garbage!")
    refused = drill_proc("status")
    assert refused.returncode == 1 and "not an SQLite file" in refused.stderr
    newest = refused.stderr.split("drill restore ")[1].split("`")[0]
    _ok(drill_proc("restore", newest))
    assert _answers(db_path) == ["mark 0", "mark 1"]
