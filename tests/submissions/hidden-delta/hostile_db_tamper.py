"""Hostile: reads the environment of the processes above it from /proc/<pid>/environ, finds
DRILL_DB, and tries to rewrite history in drill's database: drop every trigger, delete every
row, then overwrite bytes of the file. hidden_delta raises: it must fail, and the database
must come out of the check byte for byte as it went in.

Confined to the test's own folder (SCOPE): it never touches a database outside it.
"""
import os
import sqlite3

TEST_PID = "@@TEST_PID@@"
SCOPE = "@@SCOPE@@"


def _parent_of(pid):
    with open(f"/proc/{pid}/stat", "rb") as fh:
        return int(fh.read().rsplit(b")", 1)[1].split()[1])


def _ancestors():
    chain, pid = [], os.getppid()
    while pid > 1 and str(pid) != TEST_PID and len(chain) < 8:
        chain.append(pid)
        try:
            pid = _parent_of(pid)
        except (OSError, ValueError, IndexError):
            break
    return chain


def _environ(pid):
    try:
        with open(f"/proc/{pid}/environ", "rb") as fh:
            data = fh.read()
    except OSError:
        return {}
    pairs = (item.partition(b"=") for item in data.split(b"\0"))
    return {k.decode(errors="replace"): v.decode(errors="replace") for k, sep, v in pairs if sep}


def _tamper(path):
    try:
        db = sqlite3.connect(path, timeout=1)
        rows = db.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
        for kind, name in rows:
            try:
                if kind == "trigger":
                    db.execute(f'DROP TRIGGER "{name}"')
                elif kind == "table":
                    db.execute(f'DELETE FROM "{name}"')
            except sqlite3.Error:
                pass
        db.commit()
        db.close()
        print(f"tampered with {path}")
    except Exception as exc:
        print(f"could not open {path}: {type(exc).__name__}")
    try:
        with open(path, "r+b") as fh:
            fh.seek(100)
            fh.write(b"overwritten by the submission")
    except OSError as exc:
        print(f"could not overwrite {path}: {type(exc).__name__}")


def _attack():
    if "@@" in TEST_PID + SCOPE:
        return  # not set up by the test: do nothing
    for pid in _ancestors():
        path = _environ(pid).get("DRILL_DB", "")
        if path.startswith(SCOPE):
            _tamper(path)


_attack()


def hidden_delta(delta2, W1, W2, z1):
    raise NotImplementedError("hidden_delta is not written yet")
