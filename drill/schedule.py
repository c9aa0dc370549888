"""A card's schedule as its review log gives it: the log is the source of truth.

Replaying an item's grades (those not undone, same-day re-drills left out) through SM-2 gives
the state its card must hold; a scored self-check that missed the item brings its due day
forward. The store uses this when a grade is undone out of order, the doctor to check cards.
"""

from __future__ import annotations

from datetime import date, timedelta

from drill.sm2 import Sm2State, easiness_milli, review


def due_after_miss(due: str | None, day: str) -> str:
    """A card's due day after a self-check missed it on learning day `day`: the next day at
    the latest (an earlier due day stays)."""
    latest = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
    return latest if due is None else min(due, latest)


def replay(grades: list[tuple[str, int]], misses: list[tuple[int, str]] = (),
           review_ids: list[int] | None = None) -> tuple[int, int, int, str | None, int]:
    """SM-2 state after a card's grades [(day, quality), ...]: EF (thousandths), interval,
    repetitions, due day, lapses.

    `misses` are self-check misses [(newest review id when recorded, day), ...]; each one
    comes after the grades whose `review_ids` are at most that id.
    """
    state, due, lapses = Sm2State(), None, 0
    ids = review_ids if review_ids is not None else list(range(1, len(grades) + 1))
    pending = sorted(misses)

    def pull(before_id: float) -> None:
        nonlocal due
        while pending and pending[0][0] < before_id:
            _, day = pending.pop(0)
            due = due_after_miss(due, day)

    for review_id, (day, quality) in zip(ids, grades):
        pull(review_id)
        if quality < 3 and state.repetitions > 0:
            lapses += 1
        state = review(state, quality)
        due = (date.fromisoformat(day) + timedelta(days=state.interval)).isoformat()
    pull(float("inf"))
    return easiness_milli(state), state.interval, state.repetitions, due, lapses
