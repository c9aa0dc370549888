"""An open drill database: its connection, write transactions, backups and settings.

drill.store builds the queries on this; drill.database finds, opens and checks the file.
Writes that belong together (one grade, one deck sync) run in one transaction.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, overload

from drill import backups, clock
from drill.database import backups_dir, open_database, refuse_own_files, translate_errors
from drill.errors import DrillError, StoreError

if TYPE_CHECKING:
    import sqlite_utils


class StoreBase:
    """An open drill database (see drill.store.Store for what it holds)."""

    def __init__(self, conn: sqlite3.Connection, path: Path, read_only: str | None = None,
                 warnings: list[str] | None = None) -> None:
        self.conn = conn
        self.path = path
        self.read_only = read_only  # why it cannot be written, or None when it can
        self.warnings = warnings or []  # for the learner: a daily backup that was not made
        self._db: sqlite_utils.Database | None = None
        self._day_start: int | None = None  # read once; set_setting keeps it current

    @property
    def db(self) -> sqlite_utils.Database:
        """The connection as a sqlite_utils Database, for bulk work (imported on first use:
        sqlite-utils imports numpy when it is installed, which `drill status` must not pay)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def _query(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Self:
        """Open (creating or migrating as needed) the database at `path`, or the default one."""
        return cls(*open_database(path))

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def require_writable(self, doing: str = "save changes") -> None:
        """Refuse, with what to do, when the database cannot be written."""
        if self.read_only is not None:
            raise StoreError(f"cannot {doing}: {self.read_only}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it lands, or none of it."""
        self.require_writable()
        with translate_errors(self.path):
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def backup_to(self, target: Path | None = None) -> Path:
        """Copy the database, checked first, with SQLite's online backup API (default: into
        the backups folder); a copy is whole under its name, or not there at all."""
        with translate_errors(self.path):
            damage = backups.problem(self.conn)
        if damage is not None:
            raise StoreError(
                f"{self.path} fails SQLite's check ({damage}), so a copy would not be a sound "
                "backup; `drill doctor` shows the damage, `drill restore` puts a backup back")
        try:
            if target is None:
                return backups.automatic(self.conn, self.path, "manual")
            target = Path(target).expanduser()
            refuse_own_files(self.path, target, "the backup")
            if not target.parent.is_dir():
                raise StoreError(f"the folder {target.parent} does not exist; create it first")
            if target.exists() or target.is_symlink():
                raise StoreError(f"{target} already exists; choose a new file name")
            return backups.write(self.conn, target)
        except FileExistsError:
            raise StoreError(f"{target} already exists; choose a new file name") from None
        except (OSError, sqlite3.Error) as exc:
            where = backups_dir(self.path) if target is None else target
            why = backups.reason(exc, self.path)
            advice = "free some space" if why == "the disk is full" else "choose another folder"
            raise StoreError(f"could not back up {self.path} to {where} ({why}); nothing was "
                             f"changed; {advice}") from None

    # -- settings --------------------------------------------------------------------

    @overload
    def setting(self, key: str, default: str) -> str: ...
    @overload
    def setting(self, key: str, default: None = None) -> str | None: ...

    def setting(self, key: str, default: str | None = None) -> str | None:
        """A stored setting, or `default`."""
        with translate_errors(self.path):
            row = self.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting."""
        self._day_start = None
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    def delete_setting(self, key: str) -> None:
        """Forget a setting."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM settings WHERE key = ?", [key])

    def day_start(self) -> int:
        """The hour a learning day starts (0-23)."""
        if self._day_start is None:
            raw = self.setting("day_start", str(clock.DEFAULT_DAY_START))
            try:
                self._day_start = clock.check_day_start(int(raw))
            except (ValueError, DrillError):
                self._day_start = clock.DEFAULT_DAY_START
        return self._day_start

    def today(self) -> date:
        """The current learning day, with this database's day start."""
        return clock.today(self.day_start())
