"""The learner's database: one SQLite file, opened safely and migrated in place.

Durability: WAL journal with synchronous=NORMAL (see Store.open), a busy timeout so two
drills can share the file, and foreign keys on.

Opening never changes a file that is not ours: a file that is not SQLite, an SQLite file
of another program, or a database written by a newer drill is refused before anything is
written. Writes that belong together (one grade, one deck sync) run in one transaction.
A database that cannot be written (a read-only file, folder or medium) is opened read-only:
it serves every command that only reads, and a write gets one clear error.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

from drill import backups, clock, migrations, parts
from drill.backups import DB_COMPANIONS, OUR_TABLES, SQLITE_HEADER
from drill.errors import DrillError, StoreError, UnknownItemError
from drill.models import Card, Graded
from drill.schedule import due_after_miss, replay
from drill.sm2 import Sm2State, easiness_milli, review

BUSY_TIMEOUT_S = 10.0
APPLICATION_ID = 1146244428  # "DRIL", set by migration 1
ENV_DB = "DRILL_DB"
backups_dir = backups.folder


def default_db_path() -> Path:
    """Where the database lives when neither --db nor DRILL_DB says otherwise."""
    from platformdirs import user_data_path

    return user_data_path("drill", appauthor=False) / "drill.db"


class Store:
    """An open drill database."""

    def __init__(self, conn: sqlite3.Connection, path: Path, read_only: str | None = None,
                 warnings: list[str] | None = None):
        self.conn = conn
        self.path = path
        self.read_only = read_only  # why it cannot be written, or None when it can
        self.warnings = warnings or []  # for the learner: a daily backup that was not made
        self._db = None
        self._day_start: int | None = None  # read once; set_setting keeps it current

    @property
    def db(self):
        """The connection as a sqlite_utils Database, for bulk work (imported on first use:
        sqlite-utils imports numpy when it is installed, which `drill status` must not pay)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def _query(self, sql: str, params=()) -> list[dict]:
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike | None = None) -> Store:
        """Open (creating or migrating as needed) the database at `path`, or the default one."""
        explicit = path is not None
        db_path = Path(path).expanduser() if explicit else default_db_path()
        _check_location(db_path, explicit)
        _check_content(db_path)
        read_only = _why_read_only(db_path)
        conn = _connect(db_path, read_only is not None)
        warnings = []
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
                with _translate(db_path):
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
        return cls(conn, db_path, read_only, warnings)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def require_writable(self, doing: str = "save changes") -> None:
        """Refuse, with what to do, when the database cannot be written."""
        if self.read_only is not None:
            raise StoreError(f"cannot {doing}: {self.read_only}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it lands, or none of it."""
        self.require_writable()
        with _translate(self.path):
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
        with _translate(self.path):
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

    def setting(self, key: str, default: str | None = None) -> str | None:
        """A stored setting, or `default`."""
        with _translate(self.path):
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

    # -- items and cards -------------------------------------------------------------

    def sync_items(self, deck: str, rows: list[dict], when: datetime) -> dict:
        """Upsert a deck's items by id, give new ones a card, retire the ones that left.

        Each row has id, kind, title, position, tags (list) and content (dict). Returns
        counts of added, changed, retired and restored items.
        """
        stamp = clock.stamp(when)
        counts = {"added": 0, "changed": 0, "retired": 0, "restored": 0}
        with self.transaction() as conn:
            existing = {
                r[0]: (r[1], r[2], r[3])
                for r in conn.execute("SELECT id, deck, content_hash, retired_at FROM items")
            }
            for row in rows:
                digest = content_digest(row)
                old = existing.get(row["id"])
                if old is not None and old[0] != deck:
                    raise StoreError(
                        f"item id {row['id']!r} already belongs to deck {old[0]!r}; "
                        "give the item another id"
                    )
                if old is None:
                    counts["added"] += 1
                elif old[1] != digest:
                    counts["changed"] += 1
                if old is not None and old[2] is not None:
                    counts["restored"] += 1
                conn.execute(
                    """
                    INSERT INTO items (id, deck, kind, title, position, tags, content,
                                       content_hash, changed_at, retired_at)
                    VALUES (:id, :deck, :kind, :title, :position, :tags, :content,
                            :hash, :now, NULL)
                    ON CONFLICT (id) DO UPDATE SET
                        kind = excluded.kind, title = excluded.title,
                        position = excluded.position, tags = excluded.tags,
                        content = excluded.content, retired_at = NULL,
                        changed_at = CASE WHEN items.content_hash = excluded.content_hash
                                          THEN items.changed_at ELSE excluded.changed_at END,
                        content_hash = excluded.content_hash
                    """,
                    {
                        "id": row["id"],
                        "deck": deck,
                        "kind": row["kind"],
                        "title": row["title"],
                        "position": row["position"],
                        "tags": json.dumps(list(row["tags"])),
                        "content": json.dumps(row["content"], sort_keys=True),
                        "hash": digest,
                        "now": stamp,
                    },
                )
                conn.execute("INSERT OR IGNORE INTO cards (item_id) VALUES (?)", [row["id"]])
            keep = {row["id"] for row in rows}
            for item_id, (owner, _, retired_at) in existing.items():
                if owner == deck and item_id not in keep and retired_at is None:
                    conn.execute(
                        "UPDATE items SET retired_at = ? WHERE id = ?", [stamp, item_id]
                    )
                    counts["retired"] += 1
        return counts

    def stored_item(self, item_id: str):
        """An active item rebuilt from the database's copy of its content (no deck code)."""
        from drill.models import Item, Tolerance

        with _translate(self.path):
            row = self.conn.execute(
                "SELECT id, deck, kind, title, position, tags, content FROM items "
                "WHERE id = ? AND retired_at IS NULL", [item_id]).fetchone()
        if row is None:
            return None
        content = json.loads(row[6])
        tolerance = content.get("tolerance") or {}
        return Item(
            id=row[0], kind=row[2], title=row[3], tags=tuple(json.loads(row[5])),
            prompt=content.get("prompt", ""), answer=content.get("answer", ""),
            explanation=content.get("explanation", ""), insight=content.get("insight", ""),
            deck=row[1], position=row[4], folder=Path(os.devnull),  # no deck code to run
            tolerance=Tolerance(**tolerance), value=content.get("value"),
            task=content.get("task"), functions=tuple(content.get("functions") or ()),
            starter=content.get("starter"), reference=content.get("reference"),
            checklist=tuple(content.get("checklist") or ()),
        )

    def anki_notes(self) -> list[dict]:
        """What each Anki export last wrote into each note: item_id, kind, guid, deck, slots,
        mod, fingerprint, fields (by name), tags and due."""
        with _translate(self.path):
            rows = self.conn.execute(
                "SELECT item_id, kind, guid, deck, slots, mod, fingerprint, note FROM anki_notes "
                "ORDER BY item_id, kind").fetchall()
        notes = []
        for item_id, kind, guid, deck, slots, mod, fingerprint, blob in rows:
            note = json.loads(zlib.decompress(blob))
            notes.append({"item_id": item_id, "kind": kind, "guid": guid, "deck": deck,
                          "slots": slots, "mod": mod, "fingerprint": fingerprint, **note})
        return notes

    def retired_items(self, but_decks: list[str] = ()) -> set[str]:
        """The ids of items that left their deck (or whose deck was removed), leaving out
        the decks in `but_decks` (decks set aside only until they load again)."""
        marks = ", ".join("?" for _ in but_decks)
        with _translate(self.path):
            rows = self.conn.execute(
                f"SELECT id FROM items WHERE retired_at IS NOT NULL AND deck NOT IN ({marks})",
                list(but_decks)).fetchall()
        return {row[0] for row in rows}

    def anki_note_types(self) -> dict[str, dict]:
        """What each Anki export last wrote of each note type: id -> fingerprint, mod."""
        with _translate(self.path):
            rows = self.conn.execute(
                "SELECT key, value FROM settings WHERE key LIKE 'anki_note_type:%'").fetchall()
        return {key.split(":", 1)[1]: json.loads(value) for key, value in rows}

    def save_anki_notes(self, notes: list[dict], note_types: dict[str, dict]) -> None:
        """Remember what an export wrote (the rows anki_notes() and anki_note_types()
        return), in one transaction."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [(f"anki_note_type:{model_id}", json.dumps(stamp, sort_keys=True))
                 for model_id, stamp in note_types.items()])
            conn.executemany(
                """
                INSERT INTO anki_notes (item_id, kind, guid, deck, slots, mod, fingerprint, note)
                VALUES (:item_id, :kind, :guid, :deck, :slots, :mod, :fingerprint, :note)
                ON CONFLICT (item_id, kind) DO UPDATE SET
                    guid = excluded.guid, deck = excluded.deck, slots = excluded.slots,
                    mod = excluded.mod, fingerprint = excluded.fingerprint, note = excluded.note
                """,
                [
                    {**{key: note[key] for key in
                        ("item_id", "kind", "guid", "deck", "slots", "mod", "fingerprint")},
                     "note": zlib.compress(json.dumps(
                         {"fields": note["fields"], "tags": note["tags"], "due": note["due"]},
                         sort_keys=True).encode("utf-8"))}
                    for note in notes
                ],
            )

    def items(self, deck: str | None = None) -> list[dict]:
        """Active items in deck order (optionally of one deck), each with its card's schedule."""
        with _translate(self.path):
            rows = self._query(
            """
            SELECT i.id, i.deck, i.kind, i.title, i.tags, c.due, c.interval,
                   c.repetitions, c.easiness_milli, c.lapses
            FROM items i JOIN cards c ON c.item_id = i.id
            WHERE i.retired_at IS NULL AND (:deck IS NULL OR i.deck = :deck)
            ORDER BY i.deck != 'dl_foundations', i.deck, i.position, i.id
            """,
            {"deck": deck},
            )
        return [dict(row, tags=json.loads(row["tags"])) for row in rows]

    def card(self, item_id: str) -> Card:
        """The card of one item."""
        with _translate(self.path):
            return _read_card(self.conn, item_id)

    def status(self, today: date, deck: str | None = None) -> dict:
        """Counts for the learning day `today`: due, new, reviewed today, active items."""
        day = today.isoformat()
        with _translate(self.path):
            return self._status(day, deck)

    def _status(self, day: str, deck: str | None) -> dict:
        if deck is None:
            # Three range scans of the cards_active_due index: cheap at any collection size.
            due, new, items = self.conn.execute(
                """
                SELECT
                  (SELECT COUNT(*) FROM cards WHERE active = 1 AND due <= :day
                     AND (buried_until IS NULL OR buried_until <= :day)),
                  (SELECT COUNT(*) FROM cards WHERE active = 1 AND due IS NULL
                     AND (buried_until IS NULL OR buried_until <= :day)),
                  (SELECT COUNT(*) FROM cards WHERE active = 1)
                """,
                {"day": day},
            ).fetchone()
        else:
            due, new, items = self._deck_counts(day, deck)
        (reviewed,) = self.conn.execute(
            "SELECT COUNT(DISTINCT r.item_id) FROM live_reviews r JOIN items i ON i.id = r.item_id "
            "WHERE r.day = :day AND (:deck IS NULL OR i.deck = :deck)",
            {"day": day, "deck": deck},
        ).fetchone()
        return {"due": due, "new": new, "reviewed_today": reviewed, "items": items}

    def _deck_counts(self, day: str, deck: str) -> tuple[int, int, int]:
        return self.conn.execute(
            """
            SELECT COALESCE(SUM(c.due IS NOT NULL AND c.due <= :day
                                AND (c.buried_until IS NULL OR c.buried_until <= :day)), 0),
                   COALESCE(SUM(c.due IS NULL
                                AND (c.buried_until IS NULL OR c.buried_until <= :day)), 0),
                   COUNT(*)
            FROM cards c JOIN items i ON i.id = c.item_id
            WHERE i.retired_at IS NULL AND i.deck = :deck
            """,
            {"day": day, "deck": deck},
        ).fetchone()

    def save_variant(self, variant, when: datetime) -> None:
        """Remember a variant (seed, parameters, answer) the first time it is generated."""
        with self.transaction() as conn:
            _insert_variant(conn, variant, when)

    def saved_variants(self, item_id: str) -> list[dict]:
        """The variants of an item stored so far, by seed."""
        with _translate(self.path):
            rows = self.db.query(
                "SELECT seed, params, answer, created_at FROM variants WHERE item_id = ? "
                "ORDER BY seed",
                [item_id],
            )
            return [
                dict(row, params=json.loads(row["params"]), answer=json.loads(row["answer"]))
                for row in rows
            ]

    # -- the learner's decks ---------------------------------------------------------

    def added_decks(self) -> list[tuple[str, str]]:
        """(name, folder) of each deck the learner added, by name."""
        with _translate(self.path):
            return [tuple(r) for r in self.conn.execute("SELECT name, path FROM decks ORDER BY name")]

    def add_deck(self, name: str, path: Path, when: datetime) -> None:
        """Register a deck folder under `name` (replacing the folder of a deck of that name)."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO decks (name, path, added_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET path = excluded.path",
                [name, str(path), clock.stamp(when)],
            )

    def remove_deck(self, name: str, when: datetime) -> int:
        """Forget an added deck and retire its items (their history stays); return how many."""
        self.sync_items(name, [], when)
        with self.transaction() as conn:
            conn.execute("DELETE FROM decks WHERE name = ?", [name])
            conn.execute("DELETE FROM settings WHERE key = ?", [f"deck_fingerprint:{name}"])
            (count,) = conn.execute(
                "SELECT COUNT(*) FROM items WHERE deck = ? AND retired_at IS NOT NULL", [name]
            ).fetchone()
        return count

    # -- the daily queue -------------------------------------------------------------

    _ACTIVE = """
        FROM cards c JOIN items i ON i.id = c.item_id
        WHERE i.retired_at IS NULL AND (c.buried_until IS NULL OR c.buried_until <= :day)
    """
    _ORDER = "i.deck != 'dl_foundations', i.deck, i.position, i.id"

    def due_items(self, today: date) -> list[str]:
        """Ids of cards due on `today` or before, most overdue first."""
        with _translate(self.path):
            return [r[0] for r in self.conn.execute(
                f"SELECT c.item_id {self._ACTIVE} AND c.due IS NOT NULL AND c.due <= :day "
                f"ORDER BY c.due, {self._ORDER}", {"day": today.isoformat()})]

    # A due card's place in the queue: its due day, then the deck order.
    _DUE_KEY = "c.due, i.deck != 'dl_foundations', i.deck, i.position, i.id"
    _DUE = """
        FROM cards c JOIN items i ON i.id = c.item_id
        WHERE c.active = 1 AND c.due <= :day AND (c.buried_until IS NULL OR c.buried_until <= :day)
    """

    def due_count(self, today: date) -> int:
        """How many cards are due on `today` or before (a range of the cards_active_due index)."""
        with _translate(self.path):
            return self.conn.execute(
                "SELECT COUNT(*) FROM cards WHERE active = 1 AND due <= :day "
                "AND (buried_until IS NULL OR buried_until <= :day)",
                {"day": today.isoformat()}).fetchone()[0]

    def due_page(self, today: date, after: tuple | None, count: int) -> list[tuple[str, tuple]]:
        """The next `count` due cards in `due_items` order after the one whose key is
        `after` (from the start when None): [(item id, key), ...]. Reading the queue a page
        at a time walks the cards_active_due index instead of sorting every due card."""
        with _translate(self.path):
            rows = self.conn.execute(
                f"SELECT {self._DUE_KEY} {self._DUE} AND ({self._DUE_KEY}) > {self._AFTER} "
                f"ORDER BY {self._DUE_KEY} LIMIT :count",
                _after_args(today, after, count=count)).fetchall()
        return [(row[4], tuple(row)) for row in rows]

    def is_due_after(self, today: date, item_id: str, after: tuple | None) -> bool:
        """Whether `item_id` is due and comes after the key `after` in the due order."""
        with _translate(self.path):
            return self.conn.execute(
                f"SELECT 1 {self._DUE} AND i.id = :item AND ({self._DUE_KEY}) > {self._AFTER}",
                _after_args(today, after, item=item_id)).fetchone() is not None

    _AFTER = "(:k0, :k1, :k2, :k3, :k4)"

    def new_items(self, today: date, count: int, only: str | None = None) -> list[str]:
        """Ids of up to `count` never-reviewed items (optionally just `only`), in deck order."""
        if count <= 0:
            return []
        with _translate(self.path):
            return [r[0] for r in self.conn.execute(
                f"SELECT c.item_id {self._ACTIVE} AND c.due IS NULL "
                f"AND (:only IS NULL OR c.item_id = :only) ORDER BY {self._ORDER} LIMIT :count",
                {"day": today.isoformat(), "count": count, "only": only})]

    def new_today(self, today: date) -> int:
        """How many items were reviewed for the first time on `today`."""
        with _translate(self.path):
            return self.conn.execute(
                "SELECT COUNT(DISTINCT item_id) FROM live_reviews "
                "WHERE day = ? AND due_before IS NULL AND redrill = 0",
                [today.isoformat()]).fetchone()[0]

    def pending_redrills(self, today: date, below: int) -> list[str]:
        """Items whose latest grade today is below `below`: they are re-drilled today."""
        with _translate(self.path):
            return [r[0] for r in self.conn.execute(
                """
                SELECT r.item_id FROM live_reviews r JOIN items i ON i.id = r.item_id
                WHERE r.day = :day AND i.retired_at IS NULL AND r.quality < :below
                  AND r.id = (SELECT MAX(r2.id) FROM live_reviews r2
                              WHERE r2.item_id = r.item_id AND r2.day = :day)
                ORDER BY r.id
                """, {"day": today.isoformat(), "below": below})]

    def bury(self, item_id: str, today: date) -> date:
        """Hide a card until the next learning day; return that day."""
        until = today + timedelta(days=1)
        with self.transaction() as conn:
            conn.execute("UPDATE cards SET buried_until = ? WHERE item_id = ?",
                         [until.isoformat(), item_id])
        return until

    def next_due(self, today: date) -> date | None:
        """The first learning day after `today` on which a card falls due."""
        with _translate(self.path):
            row = self.conn.execute(
                "SELECT MIN(due) FROM cards WHERE active = 1 AND due > ?",
                [today.isoformat()]).fetchone()
        return date.fromisoformat(row[0]) if row and row[0] else None

    def streak(self, today: date, deck: str | None = None) -> int:
        """Consecutive learning days with a review (optionally in one deck), up to today or
        yesterday."""
        # Walk back a day at a time: each step is one index lookup (the per-day tallies, or
        # the log's day index for a deck), so the cost follows the streak, not the log.
        if deck is None:
            query = "SELECT 1 FROM day_tallies WHERE day = :day AND reviews > 0"
        else:
            query = ("SELECT 1 FROM live_reviews r JOIN items i ON i.id = r.item_id "
                     "WHERE r.day = :day AND i.deck = :deck LIMIT 1")
        with _translate(self.path):
            def reviewed(day: date) -> bool:
                return self.conn.execute(query, {"day": day.isoformat(), "deck": deck}).fetchone() is not None

            day = today if reviewed(today) else today - timedelta(days=1)
            streak = 0
            while reviewed(day):
                streak += 1
                day -= timedelta(days=1)
        return streak

    # -- grading ---------------------------------------------------------------------

    def grade(
        self,
        item_id: str,
        quality: int,
        *,
        when: datetime,
        seed: int | None = None,
        answer: str | None = None,
        correct: bool | None = None,
        response_ms: int | None = None,
        redrill: bool = False,
        variant=None,
        since: int | None = None,
        own: frozenset[int] = frozenset(),
    ) -> Graded:
        """Record one grade and move the card's schedule, in one transaction.

        A same-day re-drill (`redrill=True`) is logged but leaves the schedule alone. `since`
        is the newest review id when the card was handed out (a session passes its start,
        see `latest_review`) and `own` the grades its session gave: when the card was graded
        elsewhere since, this grade is logged as a re-drill too, so one hand-out never moves
        the schedule twice.
        """
        day = clock.learning_day(when, self.day_start())
        with self.transaction() as conn:
            stale = since is not None and any(
                review_id not in own for (review_id,) in conn.execute(
                    "SELECT id FROM live_reviews WHERE item_id = ? AND id > ?", [item_id, since]))
            redrill = redrill or stale
            if variant is not None:  # the variant shown, stored with its grade
                _insert_variant(conn, variant, when)
            before = _read_card(conn, item_id)
            state = Sm2State.from_milli(before.easiness_milli, before.interval, before.repetitions)
            if redrill:
                after_state, due_after, lapses = state, before.due, before.lapses
            else:
                after_state = review(state, quality)
                due_after = day + timedelta(days=after_state.interval)
                # A lapse is forgetting a card that had been learned, as in Anki.
                lapses = before.lapses + (quality < 3 and before.repetitions > 0)
            cursor = conn.execute(
                """
                INSERT INTO reviews (reviewed_at, day, item_id, seed, quality, answer, correct,
                    response_ms, redrill, easiness_before, interval_before, repetitions_before,
                    due_before, easiness_after, interval_after, repetitions_after, due_after,
                    last_seed_before)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    clock.stamp(when), day.isoformat(), item_id, seed, quality, answer,
                    None if correct is None else int(bool(correct)), response_ms, int(redrill),
                    before.easiness_milli, before.interval, before.repetitions,
                    _iso(before.due), easiness_milli(after_state), after_state.interval,
                    after_state.repetitions, _iso(due_after), before.last_seed,
                ],
            )
            conn.execute(
                """
                UPDATE cards SET easiness_milli = ?, interval = ?, repetitions = ?, due = ?,
                    lapses = ?, last_reviewed_at = ?, last_seed = COALESCE(?, last_seed)
                WHERE item_id = ?
                """,
                [
                    easiness_milli(after_state), after_state.interval, after_state.repetitions,
                    _iso(due_after), lapses, clock.stamp(when), seed, item_id,
                ],
            )
        return Graded(self.card(item_id), cursor.lastrowid, stale)

    def latest_review(self) -> int:
        """The id of the newest grade ever given (0 when there is none)."""
        with _translate(self.path):
            return self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM reviews").fetchone()[0]


    def undo_last(self, when: datetime, review_id: int | None = None) -> dict | None:
        """Undo a grade: the newest that still counts, or grade `review_id` when it still
        counts. The undo is logged and the card goes back to what its log now gives.

        Returns the undone review (item_id, quality, reviewed_at, redrill), or None when
        there is nothing to undo.
        """
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT id, item_id, quality, reviewed_at, redrill, last_seed_before "
                "FROM live_reviews WHERE source IS NULL AND (:id IS NULL OR id = :id) "
                "ORDER BY id DESC LIMIT 1",  # reviews done in Anki are undone in Anki
                {"id": review_id},
            ).fetchone()
            if row is None:
                return None
            review_id, item_id, quality, reviewed_at, redrill = row[:5]
            newest = _latest_review(conn, item_id) == review_id
            conn.execute("INSERT INTO undos (review_id, undone_at) VALUES (?, ?)",
                         [review_id, clock.stamp(when)])
            if newest:
                conn.execute("UPDATE cards SET last_seed = ? WHERE item_id = ?", [row[5], item_id])
            if not redrill:  # the card is what its log gives without this grade (see schedule)
                conn.execute(
                    "UPDATE cards SET easiness_milli = ?, interval = ?, repetitions = ?, due = ?, "
                    "lapses = ? WHERE item_id = ?", [*_replayed(conn, item_id), item_id])
        return {"item_id": item_id, "quality": quality, "reviewed_at": reviewed_at,
                "redrill": bool(redrill)}

    # -- reviews done in Anki --------------------------------------------------------

    def anki_review_keys(self) -> set[tuple[str, int]]:
        """(anki_card, anki_id) of every review brought back from Anki."""
        with _translate(self.path):
            return set(self.conn.execute(
                "SELECT anki_card, anki_id FROM reviews WHERE source = 'anki'").fetchall())

    def import_anki(self, reviews: list[dict], *, dry_run: bool = False) -> dict:
        """Add reviews done in Anki to the log, in one transaction, and rebuild the cards.

        Each review has item_id, seed, anki_id, anki_card, anki_kind, reviewed_at (aware
        datetime), quality, correct, response_ms and moves (False for practice that leaves
        Anki's schedule alone). A review already in the log (same anki_card and anki_id) is
        left out. On each learning day the first grade of an item moves its card and later
        ones are re-drills; a grade given in drill that day wins. With `dry_run` everything
        is worked out and nothing is kept. Returns {"added", "known", "items": {item_id:
        {"reviews", "first", "last", "before", "after"}}}.
        """
        day_start = self.day_start()
        summary: dict = {"added": 0, "known": 0, "items": {}}
        conn = self.conn
        if not dry_run:
            self.require_writable("import reviews")
        with _translate(self.path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                known = set(conn.execute(
                    "SELECT anki_card, anki_id FROM reviews WHERE source = 'anki'").fetchall())
                fresh = [r for r in reviews if (r["anki_card"], r["anki_id"]) not in known]
                summary["known"] = len(reviews) - len(fresh)
                by_item: dict[str, list] = {}
                for row in sorted(fresh, key=lambda r: (r["reviewed_at"], r["anki_id"])):
                    by_item.setdefault(row["item_id"], []).append(row)
                for item_id, rows in by_item.items():
                    summary["items"][item_id] = self._import_item(conn, item_id, rows, day_start)
                    summary["added"] += len(rows)
                if dry_run:
                    conn.execute("ROLLBACK")
                else:
                    conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        return summary

    def _import_item(self, conn, item_id: str, rows: list[dict], day_start: int) -> dict:
        """Insert one item's new Anki reviews with the states they led to; rebuild its card."""
        before_all = tuple(conn.execute(
            "SELECT easiness_milli, interval, repetitions, due, lapses FROM cards "
            "WHERE item_id = ?", [item_id]).fetchone())
        own_by_item, anki_by_item = _counted_rows(conn, item_id)
        own, anki = own_by_item.get(item_id, []), anki_by_item.get(item_id, [])
        counted_days = {day for _, _, day, _ in own + anki}
        prepared = []
        for k, row in enumerate(rows):
            at = clock.stamp(row["reviewed_at"])
            day = clock.learning_day(row["reviewed_at"], day_start).isoformat()
            redrill = not row["moves"] or day in counted_days
            if not redrill:
                counted_days.add(day)
                anki.append((-(k + 1), at, day, row["quality"]))  # placeholder ids
            prepared.append((row, at, day, redrill))
        merged = _interleave(own, anki)
        grades = [(row[2], row[3]) for _, row in merged]
        step_of = {row[0]: n for n, (_, row) in enumerate(merged) if row[0] < 0}
        for k, (one, at, day, redrill) in enumerate(prepared):
            if redrill:  # logged, the card not moved: the state before the import, as drill's do
                before = after = before_all[:4]
            else:  # the state just before and after it, in the merged history
                n = step_of[-(k + 1)]
                before, after = replay(grades[:n])[:4], replay(grades[:n + 1])[:4]
            conn.execute(
                """
                INSERT INTO reviews (reviewed_at, day, item_id, seed, quality, answer, correct,
                    response_ms, redrill, easiness_before, interval_before, repetitions_before,
                    due_before, easiness_after, interval_after, repetitions_after, due_after,
                    source, anki_id, anki_card, anki_kind)
                VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'anki', ?, ?, ?)
                """,
                [at, day, item_id, one["seed"], one["quality"], int(one["correct"]),
                 one["response_ms"], int(redrill), *before, *after, one["anki_id"],
                 one["anki_card"], one["anki_kind"]],
            )
        state = replay_log(conn, item_id)[item_id]
        latest = max(at for _, at, _, _ in prepared)
        conn.execute(
            "UPDATE cards SET easiness_milli = ?, interval = ?, repetitions = ?, due = ?, "
            "lapses = ?, last_reviewed_at = MAX(COALESCE(last_reviewed_at, ''), ?) "
            "WHERE item_id = ?", [*state, latest, item_id])
        return {"reviews": len(rows), "first": prepared[0][2], "last": prepared[-1][2],
                "before": before_all, "after": state}

    # -- the self-check --------------------------------------------------------------

    def record_selfcheck(self, attempt) -> dict:
        """Store an ended self-check attempt; a scored one brings each missed card's due day
        forward to the next learning day at the latest. One transaction.

        Returns {"id", "due_by" (the latest due day of a missed card)}.
        """
        finished_at = attempt.finished_at or clock.now()
        day = clock.learning_day(finished_at, self.day_start())
        due_by = due_after_miss(None, day.isoformat())
        scored = attempt.finished
        with self.transaction() as conn:
            (after_id,) = conn.execute("SELECT COALESCE(MAX(id), 0) FROM reviews").fetchone()
            cursor = conn.execute(
                """
                INSERT INTO selfcheck_attempts (started_at, finished_at, day, seed, mode, source,
                    outcome, score, total, band, duration_ms, time_limit_s, after_review_id,
                    moved_schedule)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    clock.stamp(attempt.started_at), clock.stamp(finished_at), day.isoformat(),
                    attempt.seed, attempt.mode, attempt.source, attempt.outcome,
                    attempt.score if scored else None, attempt.total,
                    attempt.band.name if scored else None, int(attempt.seconds * 1000),
                    attempt.time_limit_s or None, after_id, int(scored),
                ],
            )
            attempt_id = cursor.lastrowid
            for position, mark in enumerate(attempt.marks, start=1):
                conn.execute(
                    "INSERT INTO selfcheck_results (attempt_id, position, item_id, correct, "
                    "answered, given, expected, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [attempt_id, position, mark.item_id, int(mark.correct), int(mark.answered),
                     json.dumps(mark.given), mark.expected, mark.detail],
                )
            if scored:  # the same rule as due_after_miss, for every missed card at once
                conn.executemany(
                    "UPDATE cards SET due = ? WHERE item_id = ? AND (due IS NULL OR due > ?)",
                    [(due_by, item_id, due_by) for item_id in attempt.missed],
                )
        return {"id": attempt_id, "due_by": date.fromisoformat(due_by)}

    def selfcheck_misses(self) -> list[tuple[str, int, str]]:
        """(item id, newest review id when recorded, day) of every miss that moved a card."""
        with _translate(self.path):
            return self.conn.execute(
                "SELECT r.item_id, a.after_review_id, a.day FROM selfcheck_results r "
                "JOIN selfcheck_attempts a ON a.id = r.attempt_id "
                "WHERE a.moved_schedule = 1 AND r.correct = 0 ORDER BY a.id").fetchall()

    def selfcheck_attempts(self, *, limit: int | None = None) -> list[dict]:
        """Finished self-check attempts, newest first, each with its per-question results."""
        with _translate(self.path):
            attempts = self._query(
                "SELECT id, started_at, finished_at, day, seed, mode, source, outcome, score, "
                "total, band, duration_ms, time_limit_s FROM selfcheck_attempts "
                "WHERE outcome != 'quit' ORDER BY id DESC LIMIT :limit",
                {"limit": -1 if limit is None else limit})
            if not attempts:
                return []
            ids = [a["id"] for a in attempts]
            marks = self._query(
                f"SELECT attempt_id, item_id, correct, answered, given, expected, detail "
                f"FROM selfcheck_results WHERE attempt_id IN ({','.join('?' * len(ids))}) "
                f"ORDER BY attempt_id, position", ids)
        by_attempt: dict[int, list] = {}
        for mark in marks:
            by_attempt.setdefault(mark.pop("attempt_id"), []).append(
                dict(mark, correct=bool(mark["correct"]), answered=bool(mark["answered"]),
                     given=json.loads(mark["given"]) if mark["given"] is not None else None))
        return [dict(a, items=by_attempt.get(a["id"], [])) for a in attempts]

    def unfinished_selfchecks(self) -> int:
        """How many self-check attempts were quit before the end."""
        with _translate(self.path):
            return self.conn.execute(
                "SELECT COUNT(*) FROM selfcheck_attempts WHERE outcome = 'quit'").fetchone()[0]

# -- helpers -----------------------------------------------------------------------------


def _latest_review(conn: sqlite3.Connection, item_id: str) -> int:
    return conn.execute("SELECT COALESCE(MAX(id), 0) FROM live_reviews WHERE item_id = ?",
                        [item_id]).fetchone()[0]


def _replayed(conn: sqlite3.Connection, item_id: str) -> tuple:
    """The card state an item's review log gives (see drill.schedule.replay)."""
    return replay_log(conn, item_id)[item_id]


def replay_log(conn: sqlite3.Connection, item_id: str | None = None) -> dict[str, tuple]:
    """The card state the review log gives each item (or just `item_id`), by item.

    drill's own grades count in the order they were given; reviews brought back from Anki
    join them by the time they were done. Re-drills do not move a card, and a self-check
    miss comes after the grades given before its attempt (see drill.schedule.replay).
    """
    grades = counted_events(conn, item_id)
    misses: dict[str, list] = {}
    for miss_item, after_id, day in conn.execute(
            "SELECT r.item_id, a.after_review_id, a.day FROM selfcheck_results r "
            "JOIN selfcheck_attempts a ON a.id = r.attempt_id WHERE r.correct = 0 "
            "AND a.moved_schedule = 1" + ("" if item_id is None else " AND r.item_id = :item")
            + " ORDER BY a.id", {"item": item_id}):
        misses.setdefault(miss_item, []).append((after_id, day))
    items = [item_id] if item_id is not None else [
        row[0] for row in conn.execute("SELECT item_id FROM cards")]
    states = {}
    for one in items:
        events = grades.get(one, [])
        states[one] = replay([(day, q) for _, day, q in events], misses.get(one, []),
                             [position for position, _, _ in events])
    return states


def counted_events(conn: sqlite3.Connection, item_id: str | None = None) -> dict[str, list]:
    """Each item's grades that move its card, in order: [(position, day, quality), ...].

    drill's own grades keep the order they were given (their ids); Anki's are merged in by
    time. `position` is the id of the newest drill grade at that point, which is what a
    self-check miss is placed against.
    """
    own, anki = _counted_rows(conn, item_id)
    return {one: _merge(own.get(one, []), anki.get(one, [])) for one in own.keys() | anki.keys()}


def _counted_rows(conn: sqlite3.Connection, item_id: str | None) -> tuple[dict, dict]:
    """The grades that move cards, drill's and Anki's apart, by item, in id order: rows of
    (id, reviewed_at, day, quality)."""
    own: dict[str, list] = {}
    anki: dict[str, list] = {}
    for review_id, one, reviewed_at, day, quality, source in conn.execute(
            "SELECT id, item_id, reviewed_at, day, quality, source FROM live_reviews "
            # One item's rows come off the reviews_item index; `:item IS NULL OR ...` would
            # make SQLite read the whole log for it.
            "WHERE redrill = 0" + ("" if item_id is None else " AND item_id = :item")
            + " ORDER BY id", {"item": item_id}):
        (anki if source == "anki" else own).setdefault(one, []).append(
            (review_id, reviewed_at, day, quality))
    return own, anki


def _merge(own: list[tuple], anki: list[tuple]) -> list[tuple]:
    """drill's rows (id, reviewed_at, day, quality) in id order with Anki's merged in by
    time: [(position, day, quality), ...], position being the newest drill id before it."""
    return [(position, row[2], row[3]) for position, row in _interleave(own, anki)]


def _interleave(own: list[tuple], anki: list[tuple]) -> list[tuple[int, tuple]]:
    """(position, row) for the rows of both, drill's in their order, Anki's by time."""
    anki = sorted(anki, key=lambda row: (row[1], row[0]))
    merged, i, j, position = [], 0, 0, 0
    while i < len(own) or j < len(anki):
        if j == len(anki) or (i < len(own) and own[i][1] <= anki[j][1]):
            position = own[i][0]
            merged.append((position, own[i]))
            i += 1
        else:
            merged.append((position, anki[j]))
            j += 1
    return merged


def _after_args(today: date, after: tuple | None, **more) -> dict:
    """Parameters for a due-order query that starts after the key `after`."""
    key = ("", -1, "", -1, "") if after is None else after  # before every due card
    return {"day": today.isoformat(), **{f"k{n}": part for n, part in enumerate(key)}, **more}


# The running tallies (schema 8) as the review log gives them.
_ITEM_TALLIES = (
    "SELECT item_id, COUNT(*), SUM(redrill = 0), SUM(redrill = 0 AND COALESCE(correct, quality >= 3)), "
    "SUM(source IS 'anki') FROM live_reviews GROUP BY item_id")
_DAY_TALLIES = "SELECT day, COUNT(*), SUM(source IS 'anki') FROM live_reviews GROUP BY day"


def tally_mismatches(conn: sqlite3.Connection) -> list[str]:
    """Where the running tallies differ from the review log, one line each (a tally of
    zero and no tally are the same)."""
    found = []
    for table, key, query, names in (
            ("item_tallies", "item_id", _ITEM_TALLIES, ("reviews", "graded", "correct", "anki")),
            ("day_tallies", "day", _DAY_TALLIES, ("reviews", "anki"))):
        expected = {row[0]: tuple(row[1:]) for row in conn.execute(query)}
        held = {row[0]: tuple(row[1:]) for row in conn.execute(
            f"SELECT {key}, {', '.join(names)} FROM {table}")}
        zero = (0,) * len(names)
        for one in sorted(expected.keys() | held.keys()):
            want, have = expected.get(one, zero), held.get(one, zero)
            if want != have:
                shown = ", ".join(f"{name} {h} (log: {w})" for name, w, h in zip(names, want, have)
                                  if w != h)
                found.append(f"{one}: the running tally holds {shown}")
    return found


def rebuild_tallies(conn: sqlite3.Connection) -> None:
    """Recount the running tallies from the review log (inside the caller's transaction)."""
    conn.execute("DELETE FROM item_tallies")
    conn.execute("DELETE FROM day_tallies")
    conn.execute(f"INSERT INTO item_tallies (item_id, reviews, graded, correct, anki) {_ITEM_TALLIES}")
    conn.execute(f"INSERT INTO day_tallies (day, reviews, anki) {_DAY_TALLIES}")


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


def _check_location(db_path: Path, explicit: bool) -> None:
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


def restore(path: str | os.PathLike | None, source: Path) -> tuple[Path, Path | None, bool]:
    """Put a backup in place of the database at `path` (or the default one), whatever state
    the current file is in; return (the database, where its state before is kept, whether
    that state was damaged)."""
    db_path = Path(path).expanduser() if path is not None else default_db_path()
    _check_location(db_path, path is not None)
    why = _why_read_only(db_path)
    if why is not None:
        raise StoreError(f"cannot restore: {why}")
    try:
        kept, damaged = backups.restore(db_path, Path(source))
    except (OSError, sqlite3.Error) as exc:
        why = backups.reason(exc, db_path)
        advice = "free some space" if why == "the disk is full" else "put that right"
        raise StoreError(f"could not restore {db_path} ({why}); the database is as it was; "
                         f"{advice}, then try again") from None
    return db_path, kept, damaged


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


def _why_read_only(db_path: Path) -> str | None:
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
                raise StoreError(f"cannot create {db_path}: {_why_read_only(db_path)}")
            try:
                conn = backups.open_read_only(db_path, timeout=BUSY_TIMEOUT_S)
            except sqlite3.OperationalError:
                pending = [Path(f"{db_path}{s}") for s in ("-wal", "-journal")]
                if any(backups.has_content(p) for p in pending):
                    raise StoreError(
                        f"{db_path} has changes SQLite must finish or undo first (in its -wal "
                        f"or -journal file), and {_why_read_only(db_path)}; make it writable "
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
    with _translate(db_path):
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
def _translate(db_path: Path) -> Iterator[None]:
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
    why = _why_read_only(db_path)
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


translate_errors = _translate  # for the other library modules that query the store


def content_digest(row: dict) -> str:
    """The hash an item's stored content is saved with (kind, title, tags, content)."""
    import hashlib

    payload = json.dumps(
        [row["kind"], row["title"], list(row["tags"]), row["content"]], sort_keys=True
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _insert_variant(conn: sqlite3.Connection, variant, when: datetime) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO variants (item_id, seed, params, prompt, answer, solution,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            variant.item_id, variant.seed, json.dumps(variant.params, sort_keys=True),
            variant.prompt, json.dumps(variant.answer), variant.solution, clock.stamp(when),
        ],
    )


def _read_card(conn: sqlite3.Connection, item_id: str) -> Card:
    row = conn.execute(
        "SELECT item_id, easiness_milli, interval, repetitions, due, lapses, last_seed "
        "FROM cards WHERE item_id = ?",
        [item_id],
    ).fetchone()
    if row is None:
        raise UnknownItemError(f"there is no item {item_id!r}; `drill items` lists them")
    return _card(row)


def _card(row) -> Card:
    return Card(
        item_id=row[0],
        easiness_milli=row[1],
        interval=row[2],
        repetitions=row[3],
        due=date.fromisoformat(row[4]) if row[4] else None,
        lapses=row[5],
        last_seed=row[6],
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
