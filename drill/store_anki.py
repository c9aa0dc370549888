"""What drill keeps about Anki: what each export last wrote into each note and note type,
and reviews done in Anki brought back into the review log."""

from __future__ import annotations

import json
import sqlite3
import zlib
from typing import Any

from drill import clock
from drill.database import translate_errors
from drill.reviewlog import counted_rows, interleave, replay_log
from drill.schedule import replay
from drill.store_base import StoreBase


class AnkiRecords(StoreBase):
    """The Anki bookkeeping of an open drill database."""

    # -- what the exports wrote ------------------------------------------------------

    def anki_notes(self) -> list[dict[str, Any]]:
        """What each Anki export last wrote into each note: item_id, kind, guid, deck, slots,
        mod, fingerprint, fields (by name), tags and due."""
        with translate_errors(self.path):
            rows = self.conn.execute(
                "SELECT item_id, kind, guid, deck, slots, mod, fingerprint, note FROM anki_notes "
                "ORDER BY item_id, kind").fetchall()
        notes: list[dict[str, Any]] = []
        for item_id, kind, guid, deck, slots, mod, fingerprint, blob in rows:
            note = json.loads(zlib.decompress(blob))
            notes.append({"item_id": item_id, "kind": kind, "guid": guid, "deck": deck,
                          "slots": slots, "mod": mod, "fingerprint": fingerprint, **note})
        return notes

    def anki_note_types(self) -> dict[str, dict[str, Any]]:
        """What each Anki export last wrote of each note type: id -> fingerprint, mod."""
        with translate_errors(self.path):
            rows = self.conn.execute(
                "SELECT key, value FROM settings WHERE key LIKE 'anki_note_type:%'").fetchall()
        return {key.split(":", 1)[1]: json.loads(value) for key, value in rows}

    def save_anki_notes(self, notes: list[dict[str, Any]], note_types: dict[str, dict[str, Any]]) -> None:
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

    # -- reviews done in Anki --------------------------------------------------------

    def item_kinds(self) -> dict[str, str]:
        """Every item the database has held, retired ones too, and its kind: the items whose
        notes an Anki package may hold."""
        with translate_errors(self.path):
            return dict(self.conn.execute("SELECT id, kind FROM items").fetchall())

    def anki_review_keys(self) -> set[tuple[str, int]]:
        """(anki_card, anki_id) of every review brought back from Anki."""
        with translate_errors(self.path):
            return set(self.conn.execute(
                "SELECT anki_card, anki_id FROM reviews WHERE source = 'anki'").fetchall())

    def import_anki(self, reviews: list[dict[str, Any]], *, dry_run: bool = False) -> dict[str, Any]:
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
        summary: dict[str, Any] = {"added": 0, "known": 0, "items": {}}
        conn = self.conn
        if not dry_run:
            self.require_writable("import reviews")
        with translate_errors(self.path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                known = set(conn.execute(
                    "SELECT anki_card, anki_id FROM reviews WHERE source = 'anki'").fetchall())
                fresh = [r for r in reviews if (r["anki_card"], r["anki_id"]) not in known]
                summary["known"] = len(reviews) - len(fresh)
                by_item: dict[str, list[dict[str, Any]]] = {}
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

    def _import_item(self, conn: sqlite3.Connection, item_id: str, rows: list[dict[str, Any]],
                     day_start: int) -> dict[str, Any]:
        """Insert one item's new Anki reviews with the states they led to; rebuild its card."""
        before_all = tuple(conn.execute(
            "SELECT easiness_milli, interval, repetitions, due, lapses FROM cards "
            "WHERE item_id = ?", [item_id]).fetchone())
        own_by_item, anki_by_item = counted_rows(conn, item_id)
        own, anki = own_by_item.get(item_id, []), anki_by_item.get(item_id, [])
        counted_days = {day for _, _, day, _ in own + anki}
        prepared: list[tuple[dict[str, Any], str, str, bool]] = []
        for k, row in enumerate(rows):
            at = clock.stamp(row["reviewed_at"])
            day = clock.learning_day(row["reviewed_at"], day_start).isoformat()
            redrill = not row["moves"] or day in counted_days
            if not redrill:
                counted_days.add(day)
                anki.append((-(k + 1), at, day, row["quality"]))  # placeholder ids
            prepared.append((row, at, day, redrill))
        merged = interleave(own, anki)
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
