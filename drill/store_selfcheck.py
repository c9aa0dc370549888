"""The self-check records of the learner's database: attempts, their per-question results,
and the due days a missed question brings forward."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from drill import clock
from drill.database import translate_errors
from drill.schedule import due_after_miss
from drill.store_base import StoreBase

if TYPE_CHECKING:
    from drill.selfcheck import Attempt


class SelfCheckRecords(StoreBase):
    """The self-check attempts of an open drill database."""

    def record_selfcheck(self, attempt: Attempt) -> dict[str, Any]:
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

    def selfcheck_attempts(self, *, limit: int | None = None) -> list[dict[str, Any]]:
        """Finished self-check attempts, newest first, each with its per-question results."""
        with translate_errors(self.path):
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
        by_attempt: dict[int, list[dict[str, Any]]] = {}
        for mark in marks:
            by_attempt.setdefault(mark.pop("attempt_id"), []).append(
                dict(mark, correct=bool(mark["correct"]), answered=bool(mark["answered"]),
                     given=json.loads(mark["given"]) if mark["given"] is not None else None))
        return [dict(a, items=by_attempt.get(a["id"], [])) for a in attempts]

    def unfinished_selfchecks(self) -> int:
        """How many self-check attempts were quit before the end."""
        with translate_errors(self.path):
            return int(self.conn.execute(
                "SELECT COUNT(*) FROM selfcheck_attempts WHERE outcome = 'quit'").fetchone()[0])
