"""A card's schedule as its review log gives it: the log is the source of truth.

Replaying an item's grades (those not undone, same-day re-drills left out) through SM-2 gives
the state its card must hold; a scored self-check that missed the item brings its due day
forward. The store uses this when a grade is undone out of order, the doctor to check cards.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from drill import sm2
from drill.sm2 import Sm2State, easiness_milli, review

# A card's state as its log gives it: EF in thousandths, interval, repetitions, due day (None
# for a new card) and lapses.
CardState = tuple[int, int, int, str | None, int]


def due_after_miss(due: str | None, day: str) -> str:
    """A card's due day after a self-check missed it on learning day `day`: the next day at
    the latest (an earlier due day stays)."""
    latest = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
    return latest if due is None else min(due, latest)


def replay(grades: Sequence[tuple[str, int]], misses: Sequence[tuple[int, str]] = (),
           review_ids: Sequence[int] | None = None) -> CardState:
    """SM-2 state after a card's grades [(day, quality), ...]: EF (thousandths), interval,
    repetitions, due day, lapses.

    `misses` are self-check misses [(newest review id when recorded, day), ...]; each one
    comes after the grades whose `review_ids` are at most that id.
    """
    state, lapses = Sm2State(), 0
    due: str | None = None
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


# -- the same replay in integers, for a whole log ---------------------------------------------
#
# `replay` goes through sm2.review for every grade, which checks its input and builds a state
# object each time: right for one card, slow for a million grades. The fold below applies the
# same rules to plain integers (EF in thousandths, as sm2 computes it) and dates only the last
# grade, since each grade sets the due day afresh. tests/test_doctor_fast.py holds it equal to
# `replay` for every history hypothesis finds.

# EF change per quality in thousandths; None for a lapse. A key error means "not a grade".
_EF_CHANGE = {q: (sm2._ef_delta_milli(q) if q >= sm2._PASSING_QUALITY else None) for q in range(6)}
_START_EF = easiness_milli(Sm2State())
_MIN_EF = sm2._MIN_EF_MILLI
_MAX_INTERVAL = sm2.MAX_INTERVAL

# A log row as fold reads it: (item, position, day, quality, source, ...).
LogRow = tuple[Any, ...]
# fold's result: EF in thousandths, interval, repetitions, lapses, and the last counted row.
Folded = tuple[int, int, int, int, LogRow | None]


class FromAnki(Exception):
    """The history holds a review done in Anki: it must be merged by time first."""

    def __init__(self) -> None:
        super().__init__("the history holds a review done in Anki: merge it by time first")


class NotAGrade(ValueError):
    """The history holds a quality that is not a whole number from 0 to 5."""

    def __init__(self, quality: object) -> None:
        super().__init__(f"quality must be a whole number from 0 to 5, got {quality!r}")
        self.quality = quality


def fold_log(
    rows: Iterable[LogRow], start: tuple[int, int, int, int] | None = None
) -> Iterator[tuple[Any, Folded | FromAnki | NotAGrade]]:
    """SM-2 over a log's rows (item, position, day, quality, source, ...), grouped by item and
    in order within it: for each item, (item, (EF in thousandths, interval, repetitions,
    lapses, last row)) from a new card (or from `start`: EF, interval, repetitions, lapses).
    An item whose history holds a review from Anki (source set) gives FromAnki() instead,
    one with a quality outside 0..5 NotAGrade(quality): the rest of its rows are skipped."""
    first = start or (_START_EF, 0, 0, 0)
    change = _EF_CHANGE
    item: Any = _NO_ITEM
    stop: FromAnki | NotAGrade | None = None
    ef, interval, repetitions, lapses = first
    last: LogRow | None = None
    # One loop over the whole log, plain ifs rather than min()/max(): this runs per grade.
    for row in rows:
        if row[0] != item:
            if item is not _NO_ITEM:
                yield item, stop or (ef, interval, repetitions, lapses, last)
            item, stop = row[0], None
            ef, interval, repetitions, lapses = first
        elif stop is not None:
            continue
        if row[4] is not None:
            stop = FromAnki()
            continue
        try:
            step = change[row[3]]
        except (KeyError, TypeError):
            # A float such as 4.0 would find its key, but SQLite's INTEGER affinity stores it as 4.
            stop = NotAGrade(row[3])
            continue
        if step is None:
            if repetitions:
                lapses += 1
            repetitions, interval = 0, 1
        else:
            if repetitions == 0:
                interval = 1
            elif repetitions == 1:
                interval = 6
            else:
                interval = -(-interval * ef // 1000)  # ceiling, with the EF before this grade
                if interval > _MAX_INTERVAL:
                    interval = _MAX_INTERVAL
            repetitions += 1
            ef += step
            if ef < _MIN_EF:
                ef = _MIN_EF
        last = row
    if item is not _NO_ITEM:
        yield item, stop or (ef, interval, repetitions, lapses, last)


_NO_ITEM = object()


def fold(rows: Iterable[LogRow], start: tuple[int, int, int, int] | None = None) -> Folded:
    """`fold_log` over one item's rows: its result, or FromAnki / NotAGrade raised."""
    for _, result in fold_log(rows, start):
        if isinstance(result, Exception):
            raise result
        return result
    return (*(start or (_START_EF, 0, 0, 0)), None)


def finish(folded: Folded, misses: Iterable[tuple[int, str]] = ()) -> CardState:
    """`replay`'s result from `fold`'s: the due day the last grade gives, brought forward by
    the self-check misses [(after review id, day), ...] recorded after it."""
    ef, interval, repetitions, lapses, last = folded
    due = None if last is None else _iso(_ordinal(last[2]) + interval)
    for after_id, day in misses:
        # `replay` places a miss before the first grade whose position is above its id; a
        # grade sets the due day afresh, so only the misses after the last grade count
        # (positions never decrease along a history). Their order does not matter: each
        # one keeps the earlier of two days.
        if last is None or after_id >= last[1]:
            due = due_after_miss(due, day)
    return ef, interval, repetitions, due, lapses


def replay_fast(grades: Sequence[tuple[str, int]], misses: Sequence[tuple[int, str]] = (),
                review_ids: Sequence[int] | None = None) -> CardState:
    """`replay` in integer arithmetic: the same arguments, the same result."""
    ids = review_ids if review_ids is not None else range(1, len(grades) + 1)
    rows = ((None, i, day, quality, None) for i, (day, quality) in zip(ids, grades))
    return finish(fold(rows), misses)


@lru_cache(maxsize=65536)  # a log's due days span decades at most
def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


@lru_cache(maxsize=4096)
def _ordinal(day: str) -> int:
    return date.fromisoformat(day).toordinal()
