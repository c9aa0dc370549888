"""Backups of the learner's database: written safely, checked and rotated (drill.restore puts
one back).

Every copy is written under a part-file name in its folder (see drill.parts) and renamed
only once it is complete, so a file with a backup's name is always a whole backup; a copy is a plain
rollback-journal database (not WAL), so it can be read and restored from read-only media.
The daily copy is made only from a database that passes SQLite's quick_check: a damaged
database never pushes good copies out of the rotation.
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing
from pathlib import Path

from drill import clock, migrations, parts
from drill.errors import StoreError

KEEP = 10  # automatic copies kept (daily and before migrations); manual ones stay
SQLITE_HEADER = b"SQLite format 3\x00"
DB_COMPANIONS = ("", "-wal", "-shm", "-journal")  # a database is its file and these beside it
OUR_TABLES = {"items", "cards", "reviews", "settings"}


def folder(db_path: Path) -> Path:
    """The folder that keeps the backups of a database."""
    return db_path.parent / "backups"


def sqlite_uri(path: str | os.PathLike[str], **params: str) -> str:
    """An SQLite URI for a file path, every special character percent-encoded (`#`, `?`, `%`,
    `&`, spaces, non-ASCII): built by hand, such a path would open another file."""
    from urllib.parse import urlencode

    uri = Path(path).absolute().as_uri()
    return f"{uri}?{urlencode(params)}" if params else uri


def problem(conn: sqlite3.Connection) -> str | None:
    """What SQLite's quick_check finds wrong with an open database, or None when it is sound.

    A database busy in another drill is not damaged: that error is raised, not returned.
    """
    try:
        rows = [row[0] for row in conn.execute("PRAGMA quick_check")]
    except sqlite3.OperationalError as exc:
        if busy(exc):
            raise
        return str(exc)
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if rows == ["ok"] else " ".join(" ".join(rows[:3]).split())  # one line


def busy(exc: sqlite3.Error) -> bool:
    """Whether an error says another connection holds the database."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc)


# -- writing ---------------------------------------------------------------------------------


def write(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy an open database to `target`, which must not exist yet, all or nothing.

    The copy is made under a temporary name beside `target` with SQLite's online backup
    API (safe while another drill writes), switched to a rollback journal, and then linked
    to its name, which never replaces an existing file.
    """
    check_folder(target.parent)
    parts.sweep(target.parent)
    part = parts.path_for(target.parent, ".db")
    try:
        with closing(sqlite3.connect(part, isolation_level=None)) as copy:
            conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
        _publish(part, target)
    finally:
        for suffix in DB_COMPANIONS:
            Path(f"{part}{suffix}").unlink(missing_ok=True)
    return target


def check_folder(where: Path) -> None:
    """Make the folder when it is missing; refuse one that is a file or cannot be written,
    with the reason an OSError carries (never mistaken for a name already taken)."""
    import errno

    if where.exists() and not where.is_dir():
        raise OSError(errno.ENOTDIR, "Not a folder", str(where))
    where.mkdir(parents=True, exist_ok=True)
    if not os.access(where, os.W_OK):
        raise OSError(errno.EACCES, "Cannot write in this folder", str(where))


def _publish(part: Path, target: Path) -> None:
    """Give the finished copy its name: a hard link fails, rather than replace, when the
    name is taken; file systems without hard links get a checked rename instead."""
    fsync(part)
    try:
        os.link(part, target)
    except FileExistsError:
        raise
    except OSError:
        if target.exists():
            raise FileExistsError(17, "File exists", str(target)) from None
        os.replace(part, target)
    fsync(target.parent)


def fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename is still atomic
    finally:
        os.close(fd)


def automatic(conn: sqlite3.Connection, db_path: Path, reason: str) -> Path:
    """A copy into the backups folder, named after the database, the time and the reason."""
    where = folder(db_path)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    for suffix in ["", *(f"-{n}" for n in range(2, 1000))]:  # two copies in one second
        target = where / f"{db_path.stem}-{stamp}-{reason}{suffix}.db"
        if not target.exists():
            try:
                return write(conn, target)
            except FileExistsError:
                continue  # another drill took the name a moment ago
    raise StoreError(f"too many backups named {db_path.stem}-{stamp}-{reason}*; clean up {where}")


def daily(conn: sqlite3.Connection, db_path: Path) -> str | None:
    """On the first use of a learning day, copy a database that holds reviews and prune the
    old copies; return a warning for the learner when no copy could be made."""
    if migrations.schema_version(conn) == 0:
        return None
    day = clock.now().date().isoformat()
    row = conn.execute("SELECT value FROM settings WHERE key = 'last_backup_day'").fetchone()
    if row and row[0] == day:
        return None
    if conn.execute("SELECT 1 FROM reviews LIMIT 1").fetchone() is None:
        return None  # nothing learned yet, nothing to lose
    warning = None
    damage = problem(conn)
    if damage is not None:
        warning = (f"{db_path} fails SQLite's check ({damage}), so no daily backup was made and "
                   f"your backups are kept as they are; `drill doctor` shows the damage, "
                   f"`drill restore` puts a backup back")
    else:
        try:
            automatic(conn, db_path, "daily")
            prune(db_path)
        except (OSError, sqlite3.Error, StoreError) as exc:
            warning = (f"today's backup of {db_path} could not be written ({reason(exc, db_path)}); "
                       f"your database is unchanged and drill goes on; free some space or check "
                       f"{folder(db_path)}, and the next day's backup will try again")
    try:  # tried once a day, whatever the outcome: a warning once, not on every command
        conn.execute(
            "INSERT INTO settings (key, value) VALUES ('last_backup_day', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [day])
    except sqlite3.Error:
        pass
    return warning


def reason(exc: BaseException, db_path: Path) -> str:
    """A short, lower-case reason for an error writing near the database, naming the file
    when it has one."""
    if disk_full(exc, db_path.parent):
        return "the disk is full"
    if isinstance(exc, OSError):
        text = (exc.strerror or str(exc)).lower()
        return f"{text}: {exc.filename}" if exc.filename else text
    return str(exc)


def disk_full(exc: BaseException, where: Path) -> bool:
    """Whether an error comes from a full disk (SQLite reports some as plain I/O errors)."""
    import errno

    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name == "SQLITE_FULL" or str(exc) == "database or disk is full":
        return True
    return (name.startswith("SQLITE_IOERR") or str(exc) == "disk I/O error") and low_space(where)


def low_space(where: Path) -> bool:
    """Less than a MiB free on the disk holding `where`: too little for SQLite to work."""
    import shutil

    try:
        return shutil.disk_usage(where).free < 1 << 20
    except OSError:
        return False


# -- checking and pruning --------------------------------------------------------------------


def sound(path: Path) -> bool:
    """A quick test that a file is a whole drill database: an SQLite header, the size its
    header promises (a half-written copy is shorter), and drill's tables."""
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
        size = path.stat().st_size
    except OSError:
        return False
    if len(head) < 100 or head[:16] != SQLITE_HEADER:
        return False
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    if pages and size < pages * page_size:
        return False
    try:
        with closing(open_read_only(path, settled=True)) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            return tables >= OUR_TABLES and migrations.schema_version(conn) > 0
    except (sqlite3.Error, StoreError):
        return False


def prune(db_path: Path, keep: int = KEEP) -> list[Path]:
    """Delete the automatic copies older than the newest `keep` sound ones; manual copies,
    copies kept before a restore and other databases' copies are never deleted."""
    where = folder(db_path)
    # Only this database's own automatic copies: another database in the same folder (say
    # drill-work.db beside drill.db) is left alone.
    pattern = re.compile(re.escape(db_path.stem) + r"-\d{8}-\d{6}-(daily|before-v\d+)(-\d+)?\.db")
    copies = sorted((p for p in where.glob("*.db") if pattern.fullmatch(p.name)),
                    key=lambda p: (_mtime(p), p.name), reverse=True)
    removed, good = [], 0
    for path in copies:
        if good >= keep:
            for suffix in DB_COMPANIONS:
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            removed.append(path)
        elif sound(path):
            good += 1  # an unsound copy never takes a good one's place
    return removed


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:  # pruned a moment ago by another drill
        return 0


def newest_sound(db_path: Path) -> tuple[int, Path | None]:
    """How many sound copies of a database its backups folder holds, and the newest one."""
    where = folder(db_path)
    pattern = re.compile(re.escape(db_path.stem) + r"-\d{8}-\d{6}-[a-z0-9-]+\.db")
    try:
        found = [p for p in where.glob("*.db") if pattern.fullmatch(p.name) and sound(p)]
    except OSError:
        return 0, None
    found.sort(key=lambda p: (_mtime(p), p.name))
    return len(found), (found[-1] if found else None)


def open_read_only(path: Path, timeout: float = 5.0, *, settled: bool = False) -> sqlite3.Connection:
    """Open a database file for reading, also on read-only media.

    `settled` marks a file no drill is writing (a backup): without WAL content beside it,
    it is read as immutable, which leaves no -shm or -wal file behind. A live database is
    read with SQLite's locks, and as immutable only where its -shm cannot be made (a
    read-only folder or disk) and no WAL content waits.
    """
    # A hot -journal (a write interrupted mid-way) must be rolled back before the file is
    # read; like WAL content, it rules out reading the file as immutable.
    wal = has_content(Path(f"{path}-wal")) or has_content(Path(f"{path}-journal"))
    if not (settled and not wal):
        conn = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True, timeout=timeout)
        try:
            conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
            return conn
        except sqlite3.OperationalError:
            conn.close()
            if wal:
                raise
    return sqlite3.connect(sqlite_uri(path, mode="ro", immutable="1"), uri=True, timeout=timeout)


def has_content(path: Path) -> bool:
    """Whether a file exists and is not empty."""
    try:
        return path.stat().st_size > 0
    except OSError:
        return False
