"""Putting a backup back in place of the learner's database, whatever state the current
file is in.

The backup is checked first (a sound drill database this drill can read). The current state
is always kept: a sound database as a before-restore backup, a damaged one as a plain copy
of its files (*.damaged) in the backups folder.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from drill import backups, clock, migrations, parts
from drill.backups import DB_COMPANIONS, OUR_TABLES, SQLITE_HEADER
from drill.database import (
    check_location,
    check_schema,
    default_db_path,
    refuse_own_files,
    translate_errors,
    why_read_only,
)
from drill.errors import StoreError


def restore(path: str | os.PathLike[str] | None, source: Path) -> tuple[Path, Path | None, bool]:
    """Put a backup in place of the database at `path` (or the default one), whatever state
    the current file is in; return (the database, where its state before is kept, whether
    that state was damaged)."""
    db_path = Path(path).expanduser() if path is not None else default_db_path()
    check_location(db_path, path is not None)
    why = why_read_only(db_path)
    if why is not None:
        raise StoreError(f"cannot restore: {why}")
    try:
        kept, damaged = _put_back(db_path, Path(source))
    except (OSError, sqlite3.Error) as exc:
        why = backups.reason(exc, db_path)
        advice = "free some space" if why == "the disk is full" else "put that right"
        raise StoreError(f"could not restore {db_path} ({why}); the database is as it was; "
                         f"{advice}, then try again") from None
    return db_path, kept, damaged


def check_restorable(source: Path) -> None:
    """Refuse a file that is not a sound drill database this drill can read."""
    if not source.is_file():
        raise StoreError(f"{source} is not a file; pass a backup, such as one in the folder "
                         "`drill where` shows")
    try:
        with source.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read {source} ({(exc.strerror or str(exc)).lower()}); "
                         "check its permissions") from None
    if header != SQLITE_HEADER:
        raise StoreError(f"{source} is not an SQLite file, so not a drill backup")
    try:
        with closing(backups.open_read_only(source, settled=True)) as conn:
            check_schema(conn, source)
            if migrations.schema_version(conn) == 0:
                raise StoreError(f"{source} is an empty database, not a drill backup")
            (ok,) = conn.execute("PRAGMA integrity_check").fetchone()
            if ok != "ok":
                raise StoreError(f"{source} is damaged ({ok}); pick another backup")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{source} cannot be read as a drill backup ({exc}); pick another") from None



def _put_back(db_path: Path, source: Path) -> tuple[Path | None, bool]:
    """Put a backup in place of the database; return (where the state before is kept,
    whether that state was damaged).

    Whenever SQLite can open the current file, the backup goes in through its backup API,
    in one transaction that other drills' locks respect (a drill with the database open
    carries on with the restored one), after the current state is kept: a sound database
    as a before-restore backup, a damaged one as a plain copy of its files (*.damaged). A
    file SQLite cannot use at all (not SQLite, unreadable, missing) is set aside and the
    backup takes its place, with no journal file of the old one left to meet it.
    """
    source = Path(source).expanduser()
    refuse_own_files(db_path, source, "the backup to restore")
    check_restorable(source)
    where = backups.folder(db_path)
    backups.check_folder(where)
    parts.sweep(where)
    parts.sweep(db_path.parent)
    part = parts.path_for(db_path.parent, ".db")
    try:
        with closing(backups.open_read_only(source, settled=True)) as src, closing(sqlite3.connect(part)) as staged:
            src.backup(staged)  # the backup's own -wal, if any, is read through SQLite
            staged.execute("PRAGMA journal_mode = DELETE")
        kept, damaged = None, True
        current = _open_current(db_path)
        if current is not None:
            with closing(current), translate_errors(db_path):
                damaged = not _ours(current) or backups.problem(current) is not None
                kept = _copy_aside(db_path) if damaged else backups.automatic(current, db_path, "before-restore")
                try:
                    with closing(sqlite3.connect(part)) as staged:
                        staged.backup(current)
                    return kept, damaged
                except sqlite3.DatabaseError as exc:
                    if isinstance(exc, sqlite3.OperationalError) and backups.busy(exc):
                        raise
                    # SQLite cannot write into it either: nothing can be using it; replace it.
        kept = _set_aside(db_path, kept)
        backups.fsync(part)
        os.replace(part, db_path)
        backups.fsync(db_path.parent)
        return kept, kept is not None
    finally:
        for suffix in DB_COMPANIONS:
            Path(f"{part}{suffix}").unlink(missing_ok=True)


def _open_current(db_path: Path) -> sqlite3.Connection | None:
    """A connection to the current database file when SQLite can read it at all."""
    if not db_path.is_file() or not os.access(db_path, os.R_OK):
        return None
    try:
        with db_path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
        if header not in (b"", SQLITE_HEADER):
            return None  # not SQLite: no drill can be using it
        conn = sqlite3.connect(db_path.absolute(), timeout=10.0, isolation_level=None)
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        if backups.busy(exc):
            raise
    except (OSError, sqlite3.Error):
        pass
    return None


def _ours(conn: sqlite3.Connection) -> bool:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return tables >= OUR_TABLES


def _aside_name(db_path: Path) -> Path:
    """A name in the backups folder for a damaged database kept as it was: not a backup's."""
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    aside = backups.folder(db_path) / f"{db_path.stem}-{stamp}-before-restore.damaged"
    n = 1
    while any(Path(f"{aside}{s}").exists() for s in DB_COMPANIONS):
        n += 1
        aside = backups.folder(db_path) / f"{db_path.stem}-{stamp}-before-restore-{n}.damaged"
    return aside


def _copy_aside(db_path: Path) -> Path:
    """Copy a damaged database's files, byte for byte, into the backups folder."""
    import shutil

    aside = _aside_name(db_path)
    for suffix in ("", "-wal", "-journal"):
        own = Path(f"{db_path}{suffix}")
        if own.exists():
            shutil.copyfile(own, f"{aside}{suffix}")
    return aside


def _set_aside(db_path: Path, kept: Path | None) -> Path | None:
    """Keep the database's files in the backups folder (unless `kept` holds them already)
    and clear its place: a stale -wal or -journal must never meet the backup."""
    if kept is None and any(Path(f"{db_path}{s}").exists() for s in ("", "-wal", "-journal")):
        kept = _aside_name(db_path)
        for suffix in ("", "-wal", "-journal"):  # linked first: the old state is never lost
            own = Path(f"{db_path}{suffix}")
            if own.exists():
                try:
                    os.link(own, f"{kept}{suffix}")
                except OSError:  # another file system, or no hard links there
                    import shutil

                    shutil.copyfile(own, f"{kept}{suffix}")
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    return kept
