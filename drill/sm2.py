"""A pure SM-2 scheduler: one graded review in, the next schedule out.

SM-2 (P. Wozniak, 1990) keeps three numbers per item: an easiness factor EF
(starting at 2.5), the current inter-repetition interval in days, and the
number of successful repetitions in a row.  After each review the learner
grades recall with a quality q from 0 (blackout) to 5 (perfect):

* q >= 3 (success): the next interval is 1 day after the first success,
  6 days after the second, and I(n) = I(n-1) * EF, rounded up, after that.
  EF then moves by 0.1 - (5-q) * (0.08 + (5-q) * 0.02), i.e. +0.10 for q=5,
  0.00 for q=4 and -0.14 for q=3, and never drops below 1.3.
* q < 3 (lapse): the item starts over, so repetitions become 0 and the next
  interval is 1 day; EF is kept.

All arithmetic happens in integer thousandths of EF (2.5 is 2500).  Every EF
that SM-2 can produce is a whole number of thousandths, so this is exact,
whereas binary floats drift (0.1 has no exact float) and can push a product
that is exactly an integer just above it, where rounding up then adds a day.

The published text leaves several points open.  The readings taken here:

1. EF on a failed review.  Step 5 says to modify EF "after each repetition",
   which would lower it for q < 3 as well; step 6 says to restart the item
   "without changing the E-Factor".  We follow step 6: EF is unchanged.
2. Which EF the new interval uses.  Step 3 multiplies by "the E-Factor of a
   given item" and step 5 updates EF afterwards, so the interval uses the EF
   from before this review; the grade just given only affects later intervals.
3. Fractional intervals.  "If interval is a fraction, round it up to the
   nearest integer": we take the ceiling, never round-half-even or truncation.
4. Which previous interval is multiplied.  I(n-1) is the stored interval,
   which has already been rounded up, not an unrounded running product.
5. Late or early reviews.  The formula has no notion of the actual elapsed
   time, so the interval follows from the stored interval alone, however
   late or early the review really happened.
6. Step 7's same-day re-drill.  Items graded below 4 are repeated at the end
   of the day's session until they score at least 4.  Those repeats are
   logged by the caller and do not call review(), so they do not move the
   schedule; only the first grade of the day counts.
7. q = 3.  It counts as a success (repetitions grow, the interval grows) even
   though it lowers EF.
8. The 1.3 floor.  It applies to the updated EF, after the change is added,
   and only on the update step (q >= 3); an incoming EF is not clamped.
9. A ceiling on the interval.  SM-2 sets no upper bound, so I(n) grows
   geometrically: 14 perfect reviews push a due date past the year 9999,
   which no calendar date can hold.  Like Anki (whose maximum interval defaults
   to 36,500 days), a new interval is capped at MAX_INTERVAL = 36,500 days, a
   hundred years, which changes nothing a learner could notice.  The cap applies
   to the interval review() returns, so the store and every replay of the log
   share it; an incoming interval above the cap is accepted and not clamped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Context, Decimal

__all__ = ["MAX_INTERVAL", "Sm2State", "easiness_milli", "review"]

_MIN_EF_MILLI = 1300
MAX_INTERVAL = 36_500  # days, as Anki caps it: a hundred years keeps every due date a date
_PASSING_QUALITY = 3


@dataclass(frozen=True)
class Sm2State:
    """Scheduling state of one item: easiness factor, interval in days, successes in a row."""

    easiness: float | Decimal = 2.5
    interval: int = 0
    repetitions: int = 0

    @classmethod
    def from_milli(cls, ef_milli: int, interval: int, repetitions: int) -> Sm2State:
        """Build a state from an easiness stored in integer thousandths, with a float easiness."""
        if isinstance(ef_milli, bool) or not isinstance(ef_milli, int):
            raise TypeError(
                f"ef_milli must be a whole number of thousandths, got {ef_milli!r} "
                f"({type(ef_milli).__name__})"
            )
        _check_count("interval", interval)
        _check_count("repetitions", repetitions)
        return cls(easiness=ef_milli / 1000, interval=interval, repetitions=repetitions)


def easiness_milli(state: Sm2State) -> int:
    """Return the state's easiness factor in integer thousandths (2.5 -> 2500)."""
    value = state.easiness
    # bool is an int subclass, so it has to be turned away before the int branch sees it.
    if isinstance(value, bool):
        raise TypeError(f"easiness must be a number, got the boolean {value!r}")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"easiness must be a finite number, got {value!r}")
        # as_integer_ratio is exact and ignores the caller's decimal context.
        numerator, denominator = value.as_integer_ratio()
        milli, remainder = divmod(numerator * 1000, denominator)
        if remainder:
            raise ValueError(
                f"easiness must be a whole number of thousandths, got {value!r}"
            )
        return milli
    if isinstance(value, int):
        return value * 1000
    if isinstance(value, float):
        scaled = value * 1000
        if not math.isfinite(scaled):
            raise ValueError(f"easiness must be a finite number, got {value!r}")
        # A float such as 2.36 is only close to 2360/1000; rounding recovers the intended value.
        return round(scaled)
    raise TypeError(
        f"easiness must be a float, int or Decimal, got {value!r} ({type(value).__name__})"
    )


def review(state: Sm2State, quality: int) -> Sm2State:
    """Return the state after one review graded `quality` (0-5); the input state is not changed."""
    _check_quality(quality)
    ef = easiness_milli(state)
    interval = _check_count("interval", state.interval)
    repetitions = _check_count("repetitions", state.repetitions)

    if quality < _PASSING_QUALITY:
        new_ef, new_interval, new_repetitions = ef, 1, 0
    else:
        if repetitions == 0:
            new_interval = 1
        elif repetitions == 1:
            new_interval = 6
        else:
            # Ceiling division on integers; a float product could land just above a whole number.
            new_interval = min(-(-interval * ef // 1000), MAX_INTERVAL)
        new_repetitions = repetitions + 1
        new_ef = max(_MIN_EF_MILLI, ef + _ef_delta_milli(quality))

    return Sm2State(
        easiness=_easiness_like(state.easiness, new_ef),
        interval=new_interval,
        repetitions=new_repetitions,
    )


def _ef_delta_milli(quality: int) -> int:
    # The published 0.1 - (5-q)*(0.08 + (5-q)*0.02), scaled by 1000 so it stays exact.
    shortfall = 5 - quality
    return 100 - shortfall * (80 + shortfall * 20)


def _easiness_like(original: object, milli: int) -> float | Decimal:
    if isinstance(original, Decimal):
        # A private context wide enough for every digit keeps the division exact,
        # whatever precision or traps the caller's decimal context has.
        context = Context(prec=len(str(abs(milli))) + 1)
        return context.divide(Decimal(milli), 1000)
    return milli / 1000


def _check_quality(quality: object) -> None:
    if isinstance(quality, bool):
        raise TypeError(
            f"quality must be a whole number from 0 to 5, got the boolean {quality!r}"
        )
    if not isinstance(quality, int):
        raise TypeError(
            f"quality must be a whole number from 0 to 5, got {quality!r} "
            f"({type(quality).__name__})"
        )
    if not 0 <= quality <= 5:
        raise ValueError(f"quality must be a whole number from 0 to 5, got {quality}")


def _check_count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"{name} must be a whole number of zero or more, got {value!r} "
            f"({type(value).__name__})"
        )
    if value < 0:
        raise ValueError(f"{name} must be a whole number of zero or more, got {value}")
    return value
