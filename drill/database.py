"""The learner's SQLite file: where it lives, opening it safely, checking it, and saying in
one line what is wrong with it.

Durability: WAL journal with synchronous=NORMAL (see open_database), a busy timeout so two
drills can share the file, and foreign keys on.

Opening never changes a file that is not ours: a file that is not SQLite, an SQLite file
of another program, or a database written by a newer drill is refused before anything is
written. A database that cannot be written (a read-only file, folder or medium) is opened
read-only: it serves every command that only reads, and a write gets one clear error.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from drill import backups, migrations, parts
from drill.backups import DB_COMPANIONS, OUR_TABLES, SQLITE_HEADER
from drill.errors import StoreError

BUSY_TIMEOUT_S = 10.0
APPLICATION_ID = 1146244428  # "DRIL", set by migration 1
backups_dir = backups.folder


def default_db_path() -> Path:
    """Where the database lives when neither --db nor DRILL_DB says otherwise."""
    from platformdirs import user_data_path

    return user_data_path("drill", appauthor=False) / "drill.db"


class Opened(NamedTuple):
    """An opened database: its connection and file, why it cannot be written (or None),
    and warnings for the learner (a daily backup that was not made)."""

    conn: sqlite3.Connection
    path: Path
    read_only: str | None
    warnings: list[str]


def open_database(path: str | os.PathLike[str] | None = None) -> Opened:
    """Open (creating or migrating as needed) the database at `path`, or the default one."""
    explicit = path is not None
    db_path = Path(path).expanduser() if path is not None else default_db_path()
    check_location(db_path, explicit)
    _check_content(db_path)
    read_only = why_read_only(db_path)
    conn = _connect(db_path, read_only is not None)
    warnings: list[str] = []
    try:
        try:
            check_schema(conn, db_path)
        except StoreError:
            if read_only is not None or not backups.low_space(db_path.parent):
                raise
            # No room even for SQLite's shared-memory file: what is saved can still be read.
            conn.close()
            read_only = (f"the disk holding {db_path} is full: nothing was lost, but "
                         "nothing new can be saved until you free some space")
            conn = _connect(db_path, True)
            check_schema(conn, db_path)
            warnings.append(f"{read_only}; until then drill only shows what is saved")
        pending = migrations.schema_version(conn) < migrations.latest_version()
        if read_only is not None:
            if pending and migrations.schema_version(conn) > 0:
                raise StoreError(f"{db_path} needs an upgrade for this drill, but {read_only}")
        else:
            for folder in (db_path.parent, backups_dir(db_path)):
                parts.sweep(folder)  # what a killed drill left half-written
            with translate_errors(db_path):
                if pending and migrations.schema_version(conn) > 0:
                    backup_before_migration(conn, db_path)
                warning = backups.daily(conn, db_path)
                warnings += [warning] if warning else []
                wal = _switch_to_wal(conn)
                # In WAL mode NORMAL keeps every commit across a crash or a kill of drill;
                # only a power cut can undo the last commits, never corrupt the file. It
                # spares an fsync per grade (0.38 -> 0.17 ms per grade at 100k items).
                # Without WAL (a file system that cannot do it) FULL is the safe setting.
                conn.execute(f"PRAGMA synchronous = {'NORMAL' if wal else 'FULL'}")
                if pending:
                    migrations.apply(conn)
    except BaseException:
        conn.close()
        raise
    return Opened(conn, db_path, read_only, warnings)


def refuse_own_files(db_path: Path, target: Path, what: str = "the output") -> None:
    """Refuse to write `target` when it is the database or one of its companion files,
    however it is named: through `..`, a symbolic link or a hard link."""
    target = Path(target).expanduser()
    try:
        resolved = target.resolve()
        ours = [Path(str(db_path.resolve()) + suffix) for suffix in DB_COMPANIONS]
    except (OSError, RuntimeError):
        return  # a path that cannot be followed fails on its own when it is written
    same = resolved in ours
    if not same and target.exists():
        same = any(_same_file(target, own) for own in ours)
    if same:
        raise StoreError(
            f"{target} is your drill database {db_path} (or one of its files); "
            f"choose another file for {what}")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _switch_to_wal(conn: sqlite3.Connection) -> bool:
    """Turn on WAL, waiting (up to the busy timeout) while another drill holds the file.

    SQLite answers "locked" at once here instead of calling its busy handler.
    """
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            (mode,) = conn.execute("PRAGMA journal_mode = WAL").fetchone()
            return str(mode).lower() == "wal"
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def check_location(db_path: Path, explicit: bool) -> None:
    # SQLite reads ":memory:" as a database that vanishes at exit, and (built, as it usually
    # is, to accept URIs) a name starting "file:" as a URI such as file:x.db?mode=memory:
    # every grade would be lost without a word. --db names a file, nothing else.
    name = str(db_path)
    if name == ":memory:" or name.startswith(":memory:?"):
        raise StoreError(
            f"{name!r} is SQLite's in-memory database, where every grade would be lost; "
            "give --db (or DRILL_DB) a file path such as drill.db")
    if name[:5].lower() == "file:":
        raise StoreError(
            f"{name!r} is an SQLite URI; give --db (or DRILL_DB) a plain file path such as "
            f"{_uri_path_hint(name)}")
    if db_path.is_dir():
        raise StoreError(f"{db_path} is a folder; pass a file path such as {db_path / 'drill.db'}")
    parent = db_path.parent
    if not parent.exists():
        if explicit:
            raise StoreError(
                f"the folder {parent} does not exist; create it first or choose another --db"
            )
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"could not create {parent} ({exc.strerror}); pass --db PATH") from None
    if db_path.exists() and not db_path.is_file():
        raise StoreError(f"{db_path} is not a regular file; choose another --db")


def _check_content(db_path: Path) -> None:
    """Refuse a file that is not SQLite, and an empty one where backups say a database was."""
    if db_path.exists():
        try:
            with db_path.open("rb") as fh:
                header = fh.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise StoreError(f"cannot read {db_path} ({exc.strerror}); check its permissions") from None
        if header and header != SQLITE_HEADER:
            _, newest = backups.newest_sound(db_path)
            restore = (f"; if it was, `drill restore {newest}` puts its newest backup back"
                       if newest else "")
            raise StoreError(
                f"{db_path} is not a drill database (not an SQLite file); "
                f"move it aside or choose another --db{restore}"
            )
        if not header and not backups.has_content(Path(f"{db_path}-wal")):
            _refuse_empty_with_backups(db_path)




def _refuse_empty_with_backups(db_path: Path) -> None:
    """An empty file where a database with backups was: a crash or a bad copy, not a new
    start, so it is never silently turned into a fresh collection."""
    count, newest = backups.newest_sound(db_path)
    if newest is not None:
        copies = "a backup" if count == 1 else f"{count} backups"
        raise StoreError(
            f"{db_path} is empty (0 bytes), but {backups_dir(db_path)} holds {copies} of it; "
            f"put the newest back with `drill restore {newest}`, or delete {db_path} to "
            "start afresh")


def why_read_only(db_path: Path) -> str | None:
    """Why the database cannot be written (a read-only file, folder or disk), or None."""
    parent = db_path.parent
    try:
        medium = bool(os.statvfs(parent).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        medium = False
    if medium:
        return f"{db_path} is on a read-only disk; copy it to a writable place and use --db"
    if db_path.exists() and not os.access(db_path, os.W_OK):
        return (f"{db_path} is read-only; make it writable (chmod u+w {db_path}) "
                "to review or change anything")
    if not os.access(parent, os.W_OK):
        return (f"the folder {parent} holding {db_path.name} is read-only, and SQLite writes "
                f"its journal beside the database; make the folder writable (chmod u+w {parent}) "
                "or move the database")
    return None


def _uri_path_hint(uri: str) -> str:
    """The file a `file:` URI points at, to suggest instead (drill.db when there is none)."""
    from urllib.parse import unquote, urlsplit

    path = unquote(urlsplit(uri).path)
    usable = path.strip("/") and "\x00" not in path and Path(path).name != ":memory:"
    return path if usable else "drill.db"


def _connect(db_path: Path, read_only: bool = False) -> sqlite3.Connection:
    try:
        if read_only:
            if not db_path.exists():
                raise StoreError(f"cannot create {db_path}: {why_read_only(db_path)}")
            try:
                conn = backups.open_read_only(db_path, timeout=BUSY_TIMEOUT_S)
            except sqlite3.OperationalError:
                pending = [Path(f"{db_path}{s}") for s in ("-wal", "-journal")]
                if any(backups.has_content(p) for p in pending):
                    raise StoreError(
                        f"{db_path} has changes SQLite must finish or undo first (in its -wal "
                        f"or -journal file), and {why_read_only(db_path)}; make it writable "
                        "once, run any drill command, then it can be read-only again") from None
                raise
            conn.isolation_level = None
        else:
            # An absolute path, so SQLite can never read the name as a URI or as ":memory:".
            conn = sqlite3.connect(db_path.absolute(), timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {db_path} ({exc}); choose another --db") from None
    return conn


def backup_before_migration(conn: sqlite3.Connection, db_path: Path) -> Path:
    """A copy kept before the schema is upgraded; a damaged database is not upgraded."""
    damage = backups.problem(conn)
    if damage is not None:
        raise StoreError(
            f"{db_path} fails SQLite's check ({damage}), so it was not upgraded; "
            f"`drill restore` puts a backup from {backups_dir(db_path)} back")
    try:
        return backups.automatic(conn, db_path, f"before-v{migrations.latest_version()}")
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(
            f"could not back up {db_path} before upgrading it ({backups.reason(exc, db_path)}); nothing "
            "was changed; free some space or check the folder's permissions, then try again"
        ) from None


def check_schema(conn: sqlite3.Connection, db_path: Path) -> None:
    """Refuse a database of another program or of a newer drill."""
    with translate_errors(db_path):
        # One read transaction: another drill may be creating this database right now, and
        # its tables and version must be seen together (a migration commits both at once).
        in_read = not conn.in_transaction
        if in_read:
            conn.execute("BEGIN")
        try:
            _check_schema_now(conn, db_path)
        finally:
            if in_read and conn.in_transaction:
                conn.execute("COMMIT")


def _check_schema_now(conn: sqlite3.Connection, db_path: Path) -> None:
    version = migrations.schema_version(conn)
    if version > migrations.latest_version():
        raise StoreError(
            f"{db_path} was written by a newer drill (schema {version}; this one knows up to "
            f"{migrations.latest_version()}); upgrade drill or choose another --db"
        )
    tables = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    (app_id,) = conn.execute("PRAGMA application_id").fetchone()
    ours = app_id == APPLICATION_ID or (app_id == 0 and tables >= OUR_TABLES)
    if (version == 0 and tables) or (version > 0 and not ours):
        raise StoreError(
            f"{db_path} is an SQLite database of another program, not drill's; "
            "choose another --db"
        )


@contextmanager
def translate_errors(db_path: Path) -> Iterator[None]:
    """Turn SQLite's errors into one-line errors that say what to do."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        raise StoreError(explain(exc, db_path)) from None


def explain(exc: sqlite3.Error, db_path: Path) -> str:
    """One line for the learner about an SQLite error: what went wrong and what to do."""
    text = str(exc)
    if text.startswith("Could not decode to UTF-8"):
        return (f"{db_path} is damaged: it holds text that is not valid UTF-8; `drill doctor` "
                f"shows where; {_restore_hint(db_path)}")
    if backups.disk_full(exc, db_path.parent):
        return (f"the disk holding {db_path} is full: nothing was lost, but nothing new can "
                "be saved until you free some space")
    why = why_read_only(db_path)
    if "readonly" in text or "read-only" in text or (why and "unable to open" in text):
        return f"cannot write: {why or f'{db_path} is read-only; make it writable'}"
    if "locked" in text or "busy" in text:
        return f"{db_path} is busy in another drill for too long; finish that session and try again"
    if not isinstance(exc, sqlite3.OperationalError):
        return (f"{db_path} is damaged or not a drill database ({text}); "
                f"{_restore_hint(db_path)}, or choose another --db")
    return f"database error in {db_path}: {text}"


def _restore_hint(db_path: Path) -> str:
    """What to run to put the newest sound backup back (or where backups would be)."""
    _, newest = backups.newest_sound(db_path)
    if newest is None:
        return f"restore a backup with `drill restore FILE` (none found in {backups_dir(db_path)})"
    return f"put the newest backup back with `drill restore {newest}`"


