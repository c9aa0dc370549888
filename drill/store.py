"""The learner's database and its queries: items and their cards, the learner's decks, the
daily queue, and grading.

The connection, transactions and settings are drill.store_base's; Anki's and the
self-check's records are mixed in from drill.store_anki and drill.store_selfcheck; opening
and checking the file is drill.database's; reading back the review log is drill.reviewlog's.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from drill import clock
from drill.database import translate_errors
from drill.errors import StoreError, UnknownItemError
from drill.models import Card, Graded, Item, Tolerance, Variant
from drill.reviewlog import replay_log
from drill.schedule import CardState
from drill.sm2 import Sm2State, easiness_milli, review
from drill.store_anki import AnkiRecords
from drill.store_selfcheck import SelfCheckRecords

# A due card's place in the due order (Store._DUE_KEY): due day, whether it is outside the
# built-in deck, deck, position, item id.
DueKey = tuple[str, int, str, int, str]


class Store(AnkiRecords, SelfCheckRecords):
    """An open drill database."""

    # -- items and cards -------------------------------------------------------------

    def sync_items(self, deck: str, rows: list[dict[str, Any]], when: datetime) -> dict[str, int]:
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

    def stored_item(self, item_id: str) -> Item | None:
        """An active item rebuilt from the database's copy of its content (no deck code)."""
        with translate_errors(self.path):
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

    def retired_items(self, but_decks: Sequence[str] = ()) -> set[str]:
        """The ids of items that left their deck (or whose deck was removed), leaving out
        the decks in `but_decks` (decks set aside only until they load again)."""
        marks = ", ".join("?" for _ in but_decks)
        with translate_errors(self.path):
            rows = self.conn.execute(
                f"SELECT id FROM items WHERE retired_at IS NOT NULL AND deck NOT IN ({marks})",
                list(but_decks)).fetchall()
        return {row[0] for row in rows}

    def items(self, deck: str | None = None) -> list[dict[str, Any]]:
        """Active items in deck order (optionally of one deck), each with its card's schedule."""
        with translate_errors(self.path):
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
        with translate_errors(self.path):
            return _read_card(self.conn, item_id)

    def status(self, today: date, deck: str | None = None) -> dict[str, int]:
        """Counts for the learning day `today`: due, new, reviewed today, active items."""
        day = today.isoformat()
        with translate_errors(self.path):
            return self._status(day, deck)

    def _status(self, day: str, deck: str | None) -> dict[str, int]:
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
        counts: tuple[int, int, int] = self.conn.execute(
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
        return counts

    def save_variant(self, variant: Variant, when: datetime) -> None:
        """Remember a variant (seed, parameters, answer) the first time it is generated."""
        with self.transaction() as conn:
            _insert_variant(conn, variant, when)

    def saved_variants(self, item_id: str) -> list[dict[str, Any]]:
        """The variants of an item stored so far, by seed."""
        with translate_errors(self.path):
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
        with translate_errors(self.path):
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
        return int(count)

    # -- the daily queue -------------------------------------------------------------

    _ACTIVE = """
        FROM cards c JOIN items i ON i.id = c.item_id
        WHERE i.retired_at IS NULL AND (c.buried_until IS NULL OR c.buried_until <= :day)
    """
    _ORDER = "i.deck != 'dl_foundations', i.deck, i.position, i.id"

    def due_items(self, today: date) -> list[str]:
        """Ids of cards due on `today` or before, most overdue first."""
        with translate_errors(self.path):
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
        with translate_errors(self.path):
            return int(self.conn.execute(
                "SELECT COUNT(*) FROM cards WHERE active = 1 AND due <= :day "
                "AND (buried_until IS NULL OR buried_until <= :day)",
                {"day": today.isoformat()}).fetchone()[0])

    def due_page(self, today: date, after: DueKey | None, count: int) -> list[tuple[str, DueKey]]:
        """The next `count` due cards in `due_items` order after the one whose key is
        `after` (from the start when None): [(item id, key), ...]. Reading the queue a page
        at a time walks the cards_active_due index instead of sorting every due card."""
        with translate_errors(self.path):
            rows = self.conn.execute(
                f"SELECT {self._DUE_KEY} {self._DUE} AND ({self._DUE_KEY}) > {self._AFTER} "
                f"ORDER BY {self._DUE_KEY} LIMIT :count",
                _after_args(today, after, count=count)).fetchall()
        return [(row[4], tuple(row)) for row in rows]

    def is_due_after(self, today: date, item_id: str, after: DueKey | None) -> bool:
        """Whether `item_id` is due and comes after the key `after` in the due order."""
        with translate_errors(self.path):
            return self.conn.execute(
                f"SELECT 1 {self._DUE} AND i.id = :item AND ({self._DUE_KEY}) > {self._AFTER}",
                _after_args(today, after, item=item_id)).fetchone() is not None

    _AFTER = "(:k0, :k1, :k2, :k3, :k4)"

    def new_items(self, today: date, count: int, only: str | None = None) -> list[str]:
        """Ids of up to `count` never-reviewed items (optionally just `only`), in deck order."""
        if count <= 0:
            return []
        with translate_errors(self.path):
            return [r[0] for r in self.conn.execute(
                f"SELECT c.item_id {self._ACTIVE} AND c.due IS NULL "
                f"AND (:only IS NULL OR c.item_id = :only) ORDER BY {self._ORDER} LIMIT :count",
                {"day": today.isoformat(), "count": count, "only": only})]

    def new_today(self, today: date) -> int:
        """How many items were reviewed for the first time on `today`."""
        with translate_errors(self.path):
            return int(self.conn.execute(
                "SELECT COUNT(DISTINCT item_id) FROM live_reviews "
                "WHERE day = ? AND due_before IS NULL AND redrill = 0",
                [today.isoformat()]).fetchone()[0])

    def pending_redrills(self, today: date, below: int) -> list[str]:
        """Items whose latest grade today is below `below`: they are re-drilled today."""
        with translate_errors(self.path):
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
        with translate_errors(self.path):
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
        with translate_errors(self.path):
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
        variant: Variant | None = None,
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
        review_id = cursor.lastrowid
        assert review_id is not None  # an INSERT always sets it
        return Graded(self.card(item_id), review_id, stale)

    def latest_review(self) -> int:
        """The id of the newest grade ever given (0 when there is none)."""
        with translate_errors(self.path):
            return int(self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM reviews").fetchone()[0])


    def undo_last(self, when: datetime, review_id: int | None = None) -> dict[str, Any] | None:
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

# -- helpers -----------------------------------------------------------------------------


def _latest_review(conn: sqlite3.Connection, item_id: str) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM live_reviews WHERE item_id = ?",
                            [item_id]).fetchone()[0])


def _replayed(conn: sqlite3.Connection, item_id: str) -> CardState:
    """The card state an item's review log gives (see drill.schedule.replay)."""
    return replay_log(conn, item_id)[item_id]


def _after_args(today: date, after: DueKey | None, **more: object) -> dict[str, object]:
    """Parameters for a due-order query that starts after the key `after`."""
    key = ("", -1, "", -1, "") if after is None else after  # before every due card
    return {"day": today.isoformat(), **{f"k{n}": part for n, part in enumerate(key)}, **more}


def content_digest(row: dict[str, Any]) -> str:
    """The hash an item's stored content is saved with (kind, title, tags, content)."""
    import hashlib

    payload = json.dumps(
        [row["kind"], row["title"], list(row["tags"]), row["content"]], sort_keys=True
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _insert_variant(conn: sqlite3.Connection, variant: Variant, when: datetime) -> None:
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


def _card(row: tuple[Any, ...]) -> Card:
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
