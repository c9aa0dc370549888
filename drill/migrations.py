"""Numbered schema migrations, recorded in `PRAGMA user_version`.

Migration N lives in `drill/data/migrations/NNN_name.sql` and takes the schema from
version N-1 to N. Each runs in its own transaction together with the version bump,
so a failed migration leaves the database exactly as it was.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import cache
from importlib import resources

_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


@cache
def migrations() -> tuple[Migration, ...]:
    """All migrations shipped with drill, in order."""
    found = []
    for entry in resources.files("drill.data").joinpath("migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    expected = list(range(1, len(found) + 1))
    if [m.version for m in found] != expected:
        raise RuntimeError(f"migrations are not numbered 1..N: {[m.name for m in found]}")
    return tuple(found)


def latest_version() -> int:
    """The schema version this drill writes."""
    return len(migrations())


def schema_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the database."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def apply(conn: sqlite3.Connection) -> list[int]:
    """Bring the schema up to date; return the versions applied (the connection is in autocommit mode)."""
    applied = []
    for migration in migrations():
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            if schema_version(conn) >= migration.version:
                conn.execute("COMMIT")
                continue
            # executescript() would commit our transaction first, so run statement by statement.
            for statement in _statements(migration.sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {migration.version}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a script into complete statements (trigger bodies stay whole)."""
    statements, pending = [], ""
    for line in sql.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                statements.append(pending.strip())
            pending = ""
    if pending.strip() and not all(
        not part.strip() or part.strip().startswith("--") for part in pending.splitlines()
    ):
        raise RuntimeError(f"incomplete SQL statement at the end of a migration: {pending!r}")
    return statements
