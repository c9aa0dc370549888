"""Tests for the SM-2 scheduler in drill.sm2.

Every expected value below was worked out by hand from the published SM-2
rules (arithmetic shown in the comments), never by running review().  The
property tests compare review() with an independent Fraction-based
reference implementation written from the same rules.
"""

from __future__ import annotations

import dataclasses
import math
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drill.sm2 import MAX_INTERVAL, Sm2State, easiness_milli, review


def run(qualities, state=None):
    """Apply the qualities in order and return (easiness, interval, repetitions) after each."""
    state = Sm2State() if state is None else state
    trace = []
    for quality in qualities:
        state = review(state, quality)
        trace.append((state.easiness, state.interval, state.repetitions))
    return trace


# --------------------------------------------------------------------------
# SuperMemo's own rules: I(1) = 1, I(2) = 6, I(n) = ceil(I(n-1) * EF)
# --------------------------------------------------------------------------


def test_default_state():
    assert Sm2State() == Sm2State(easiness=2.5, interval=0, repetitions=0)


@pytest.mark.parametrize("quality", [3, 4, 5])
@pytest.mark.parametrize(
    "state",
    [
        Sm2State(),
        Sm2State(easiness=1.3, interval=1, repetitions=0),  # just after a lapse
        Sm2State(easiness=2.9, interval=40, repetitions=0),  # stale interval is ignored
    ],
)
def test_first_success_is_one_day(state, quality):
    after = review(state, quality)
    assert after.interval == 1
    assert after.repetitions == 1


@pytest.mark.parametrize("quality", [3, 4, 5])
@pytest.mark.parametrize("easiness", [1.3, 2.5, 3.7])
def test_second_success_is_six_days(easiness, quality):
    after = review(Sm2State(easiness=easiness, interval=1, repetitions=1), quality)
    assert after.interval == 6
    assert after.repetitions == 2


@pytest.mark.parametrize(
    ("easiness", "expected_interval"),
    [
        (2.5, 15),  # 6 * 2.5  = 15.0   -> 15 (already whole, no rounding)
        (1.3, 8),  # 6 * 1.3  = 7.8    -> 8
        (2.36, 15),  # 6 * 2.36 = 14.16  -> 15
        (1.38, 9),  # 6 * 1.38 = 8.28   -> 9
        (2.9, 18),  # 6 * 2.9  = 17.4   -> 18
        (3.0, 18),  # 6 * 3.0  = 18.0   -> 18
    ],
)
@pytest.mark.parametrize("quality", [3, 4, 5])
def test_third_success_is_six_times_ef_rounded_up(easiness, expected_interval, quality):
    # The multiplier is the EF held before this review, whatever this review's grade is.
    after = review(Sm2State(easiness=easiness, interval=6, repetitions=2), quality)
    assert after.interval == expected_interval
    assert after.repetitions == 3


@pytest.mark.parametrize(
    ("quality", "expected_easiness"),
    [
        (5, 2.6),  # 0.1 - 0*(0.08 + 0*0.02) = +0.10
        (4, 2.5),  # 0.1 - 1*(0.08 + 1*0.02) =  0.00
        (3, 2.36),  # 0.1 - 2*(0.08 + 2*0.02) = -0.14
        (2, 2.5),  # failed review: EF unchanged
        (1, 2.5),
        (0, 2.5),
    ],
)
def test_ef_change_per_quality(quality, expected_easiness):
    assert review(Sm2State(), quality).easiness == expected_easiness


@pytest.mark.parametrize(
    ("easiness", "quality", "expected_easiness"),
    [
        (1.3, 3, 1.3),  # 1.30 - 0.14 = 1.16 -> floored to 1.3
        (1.4, 3, 1.3),  # 1.40 - 0.14 = 1.26 -> floored to 1.3
        (1.44, 3, 1.3),  # 1.44 - 0.14 = 1.30 exactly, floor not needed
        (1.45, 3, 1.31),  # 1.45 - 0.14 = 1.31, above the floor
        (1.0, 5, 1.3),  # 1.00 + 0.10 = 1.10 -> floor applied after the update
        (1.0, 4, 1.3),  # 1.00 + 0.00 = 1.00 -> floored to 1.3
        (1.0, 2, 1.0),  # failed review: no update step, so no floor either
        (1.3, 0, 1.3),
    ],
)
def test_ef_floor(easiness, quality, expected_easiness):
    after = review(Sm2State(easiness=easiness, interval=6, repetitions=2), quality)
    assert after.easiness == expected_easiness


# --------------------------------------------------------------------------
# Worked sequences from the default state (EF 2.5, interval 0, repetitions 0).
# Each row is (EF, interval, repetitions) after that review.
# --------------------------------------------------------------------------

WORKED_VECTORS = {
    "all_fives": (
        [5, 5, 5, 5],
        [
            (2.6, 1, 1),  # reps 0 -> I=1;                       EF 2.5+0.1 = 2.6
            (2.7, 6, 2),  # reps 1 -> I=6;                       EF 2.6+0.1 = 2.7
            (2.8, 17, 3),  # I = ceil(6 * 2.7)  = ceil(16.2) = 17; EF 2.8
            (2.9, 48, 4),  # I = ceil(17 * 2.8) = ceil(47.6) = 48; EF 2.9
        ],
    ),
    "all_fours": (
        [4, 4, 4, 4, 4],
        [
            (2.5, 1, 1),  # EF never moves on q=4
            (2.5, 6, 2),
            (2.5, 15, 3),  # ceil(6 * 2.5)  = ceil(15.0) = 15
            (2.5, 38, 4),  # ceil(15 * 2.5) = ceil(37.5) = 38
            (2.5, 95, 5),  # ceil(38 * 2.5) = ceil(95.0) = 95
        ],
    ),
    "threes_down_to_the_floor": (
        [3] * 10,
        [
            (2.36, 1, 1),  # EF 2.50 - 0.14 = 2.36
            (2.22, 6, 2),  # EF 2.36 - 0.14 = 2.22
            (2.08, 14, 3),  # ceil(6 * 2.22)   = ceil(13.32)  = 14
            (1.94, 30, 4),  # ceil(14 * 2.08)  = ceil(29.12)  = 30
            (1.80, 59, 5),  # ceil(30 * 1.94)  = ceil(58.2)   = 59
            (1.66, 107, 6),  # ceil(59 * 1.80)  = ceil(106.2)  = 107
            (1.52, 178, 7),  # ceil(107 * 1.66) = ceil(177.62) = 178
            (1.38, 271, 8),  # ceil(178 * 1.52) = ceil(270.56) = 271
            (1.30, 374, 9),  # ceil(271 * 1.38) = ceil(373.98) = 374; EF 1.24 -> floor 1.3
            (1.30, 487, 10),  # ceil(374 * 1.30) = ceil(486.2)  = 487; EF 1.16 -> floor 1.3
        ],
    ),
    "lapse_then_recover": (
        [5, 5, 4, 1, 4, 4, 5],
        [
            (2.6, 1, 1),
            (2.7, 6, 2),
            (2.7, 17, 3),  # ceil(6 * 2.7) = ceil(16.2) = 17
            (2.7, 1, 0),  # lapse: reps 0, I=1, EF kept at 2.7
            (2.7, 1, 1),  # starts over: first success is 1 day
            (2.7, 6, 2),  # second success is 6 days
            (2.8, 17, 3),  # ceil(6 * 2.7) = 17 again, then EF 2.7+0.1
        ],
    ),
    "mixed_with_threes_and_a_blackout": (
        [5, 3, 3, 5, 0, 3, 5],
        [
            (2.6, 1, 1),  # EF 2.50 + 0.10
            (2.46, 6, 2),  # EF 2.60 - 0.14
            (2.32, 15, 3),  # ceil(6 * 2.46)  = ceil(14.76) = 15; EF 2.46 - 0.14
            (2.42, 35, 4),  # ceil(15 * 2.32) = ceil(34.8)  = 35; EF 2.32 + 0.10
            (2.42, 1, 0),  # q=0: reset, EF kept
            (2.28, 1, 1),  # EF 2.42 - 0.14
            (2.38, 6, 2),  # EF 2.28 + 0.10
        ],
    ),
    "lapse_at_the_floor_then_recover": (
        [3] * 9 + [2, 5, 5, 5],
        [
            (2.36, 1, 1),
            (2.22, 6, 2),
            (2.08, 14, 3),
            (1.94, 30, 4),
            (1.80, 59, 5),
            (1.66, 107, 6),
            (1.52, 178, 7),
            (1.38, 271, 8),
            (1.30, 374, 9),  # as in threes_down_to_the_floor
            (1.30, 1, 0),  # q=2: reset, EF stays 1.3
            (1.40, 1, 1),  # EF 1.3 + 0.1
            (1.50, 6, 2),  # EF 1.4 + 0.1
            (1.60, 9, 3),  # ceil(6 * 1.5) = ceil(9.0) = 9
        ],
    ),
}


@pytest.mark.parametrize(
    ("qualities", "expected"), WORKED_VECTORS.values(), ids=list(WORKED_VECTORS)
)
def test_worked_vectors(qualities, expected):
    assert run(qualities) == expected


@pytest.mark.parametrize(
    ("qualities", "expected"), WORKED_VECTORS.values(), ids=list(WORKED_VECTORS)
)
def test_worked_vectors_with_decimal_easiness(qualities, expected):
    trace = run(qualities, Sm2State(easiness=Decimal("2.5")))
    assert all(isinstance(easiness, Decimal) for easiness, _, _ in trace)
    # Decimal(str(x)) is the exact decimal the float literal in the table was written as.
    assert trace == [(Decimal(str(ef)), i, r) for ef, i, r in expected]


# --------------------------------------------------------------------------
# Cases where float arithmetic would round up one day too many.
# --------------------------------------------------------------------------


def test_float_product_just_above_an_integer():
    # 25 * 2.2 = 55 exactly, but the double nearest 2.2 is slightly above it, so
    # in floats 25 * 2.2 == 55.00000000000001 and math.ceil gives 56.
    assert math.ceil(25 * 2.2) == 56
    after = review(Sm2State(easiness=2.2, interval=25, repetitions=2), 4)
    assert after.interval == 55
    assert after.easiness == 2.2


def test_float_product_just_above_an_integer_decimal_input():
    after = review(Sm2State(easiness=Decimal("2.2"), interval=25, repetitions=2), 4)
    assert after.interval == 55
    assert after.easiness == Decimal("2.2")


def test_float_drift_in_accumulated_ef():
    # Qualities 5, 5, 4, 4, 5 take EF to 2.5 + 0.1 + 0.1 + 0 + 0 + 0.1 = 2.8 and the
    # interval to 1, 6, ceil(6*2.7)=17, ceil(17*2.7)=ceil(45.9)=46, ceil(46*2.7)=ceil(124.2)=125.
    # The sixth review (q=3) is then ceil(125 * 2.8) = ceil(350.0) = 350.
    # Accumulated in floats, EF is 2.8000000000000003 and 125 * EF = 350.00000000000006,
    # whose ceiling is 351.
    float_ef = 2.5 + 0.1 + 0.1 + 0.0 + 0.0 + 0.1
    assert float_ef != 2.8
    assert math.ceil(125 * float_ef) == 351
    assert run([5, 5, 4, 4, 5, 3]) == [
        (2.6, 1, 1),
        (2.7, 6, 2),
        (2.7, 17, 3),
        (2.7, 46, 4),
        (2.8, 125, 5),
        (2.66, 350, 6),  # EF 2.8 - 0.14 = 2.66
    ]


# --------------------------------------------------------------------------
# Easiness types and conversions
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("easiness", "quality", "expected"),
    [
        (Decimal("2.5"), 5, "2.6"),
        (Decimal("2.5"), 4, "2.5"),
        (Decimal("2.5"), 3, "2.36"),
        (Decimal("2.5"), 0, "2.5"),
        (Decimal("2.500"), 5, "2.6"),  # trailing zeros on input are fine
        (Decimal("2.9"), 5, "3"),  # 2.9 + 0.1 = 3
        (Decimal("1.4"), 3, "1.3"),  # 1.26 -> floor
    ],
)
def test_decimal_in_decimal_out(easiness, quality, expected):
    after = review(Sm2State(easiness=easiness, interval=6, repetitions=2), quality)
    assert isinstance(after.easiness, Decimal)
    assert after.easiness == Decimal(expected)
    assert str(after.easiness) == expected


@pytest.mark.parametrize(
    ("easiness", "expected"),
    [
        (2.5, 2.6),  # 2.5 + 0.1
        (2, 2.1),  # int in, float out: 2 + 0.1
        (3, 3.1),  # 3 + 0.1
    ],
)
def test_float_or_int_in_float_out(easiness, expected):
    after = review(Sm2State(easiness=easiness), 5)
    assert type(after.easiness) is float
    assert after.easiness == expected


@pytest.mark.parametrize(
    ("easiness", "expected_milli"),
    [
        (2.5, 2500),
        (2.36, 2360),  # the double nearest 2.36 is not exact; rounding recovers 2360
        (1.3, 1300),
        (3, 3000),
        (2.3456, 2346),  # not on a thousandth: rounded to the nearest one
        (Decimal("2.36"), 2360),
        (Decimal("2.360000"), 2360),
        (Decimal("1E+1"), 10000),
    ],
)
def test_easiness_milli(easiness, expected_milli):
    assert easiness_milli(Sm2State(easiness=easiness)) == expected_milli


def test_from_milli():
    state = Sm2State.from_milli(2600, 6, 2)
    assert state == Sm2State(easiness=2.6, interval=6, repetitions=2)
    assert type(state.easiness) is float


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((2.6, 6, 2), TypeError),
        ((True, 6, 2), TypeError),
        (("2600", 6, 2), TypeError),
        ((2600, -1, 2), ValueError),
        ((2600, 6, -1), ValueError),
        ((2600, 6.0, 2), TypeError),
    ],
)
def test_from_milli_rejects_bad_arguments(args, error):
    with pytest.raises(error):
        Sm2State.from_milli(*args)


@given(st.integers(min_value=0, max_value=10**9))
def test_milli_round_trip(milli):
    assert easiness_milli(Sm2State.from_milli(milli, 0, 0)) == milli


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quality", "error"),
    [
        (-1, ValueError),
        (6, ValueError),
        (7, ValueError),
        (3.0, TypeError),
        ("4", TypeError),
        (None, TypeError),
        (True, TypeError),
        (False, TypeError),
        (Decimal(3), TypeError),
    ],
)
def test_bad_quality(quality, error):
    with pytest.raises(error, match="quality must be a whole number from 0 to 5"):
        review(Sm2State(), quality)


def test_bad_quality_message():
    with pytest.raises(ValueError) as excinfo:
        review(Sm2State(), 7)
    assert str(excinfo.value) == "quality must be a whole number from 0 to 5, got 7"


@pytest.mark.parametrize(
    ("state", "error"),
    [
        (Sm2State(interval=-1), ValueError),
        (Sm2State(interval=1.0), TypeError),
        (Sm2State(interval=True), TypeError),
        (Sm2State(interval=None), TypeError),
        (Sm2State(repetitions=-1), ValueError),
        (Sm2State(repetitions="2"), TypeError),
        (Sm2State(repetitions=False), TypeError),
        (Sm2State(easiness="2.5"), TypeError),
        (Sm2State(easiness=None), TypeError),
        (Sm2State(easiness=True), TypeError),
        (Sm2State(easiness=Fraction(5, 2)), TypeError),
        (Sm2State(easiness=float("nan")), ValueError),
        (Sm2State(easiness=float("inf")), ValueError),
        (Sm2State(easiness=float("-inf")), ValueError),
        (Sm2State(easiness=1e308), ValueError),  # overflows when scaled to thousandths
        (Sm2State(easiness=Decimal("NaN")), ValueError),
        (Sm2State(easiness=Decimal("sNaN")), ValueError),
        (Sm2State(easiness=Decimal("Infinity")), ValueError),
        (Sm2State(easiness=Decimal("2.5005")), ValueError),  # not whole thousandths
    ],
)
def test_bad_state(state, error):
    with pytest.raises(error, match=re.escape("must be")):
        review(state, 4)


def test_easiness_below_floor_is_accepted_on_input():
    assert review(Sm2State(easiness=1.0, interval=6, repetitions=2), 1) == Sm2State(
        easiness=1.0, interval=1, repetitions=0
    )


def test_review_returns_new_state_and_leaves_input_alone():
    before = Sm2State(easiness=2.5, interval=6, repetitions=2)
    after = review(before, 5)
    assert after is not before
    assert before == Sm2State(easiness=2.5, interval=6, repetitions=2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        before.interval = 7  # type: ignore[misc]


# --------------------------------------------------------------------------
# The interval cap: 36,500 days, as in Anki, so a due date is always a date.
# --------------------------------------------------------------------------


def test_max_interval_is_a_hundred_years():
    assert MAX_INTERVAL == 36_500


def test_perfect_reviews_level_off_at_the_cap():
    # 1, 6, 17, 48, 140, 420, 1302, 4167, 13752, 46757 (capped) and so on: EF rises by 0.1
    # each time, and ceil(13752 * 3.4) = 46757 is the first interval over the cap.
    intervals = [interval for _, interval, _ in run([5] * 40)]
    assert intervals[:9] == [1, 6, 17, 48, 140, 420, 1302, 4167, 13752]
    assert intervals[9:] == [MAX_INTERVAL] * 31


@pytest.mark.parametrize("interval", [28_077, 36_499, 36_500, 10**6, 10**12])
def test_a_success_never_goes_past_the_cap(interval):
    # 28077 * 1.3 = 36500.1 rounds up to 36501: just over, so capped.
    after = review(Sm2State(easiness=1.3, interval=interval, repetitions=5), 5)
    assert after.interval == MAX_INTERVAL
    assert after.repetitions == 6


def test_below_the_cap_nothing_changes():
    # 28076 * 1.3 = 36498.8 -> 36499, under the cap.
    assert review(Sm2State(easiness=1.3, interval=28_076, repetitions=5), 4).interval == 36_499


def test_a_lapse_at_the_cap_still_restarts():
    assert review(Sm2State(easiness=2.5, interval=MAX_INTERVAL, repetitions=20), 1).interval == 1


@given(st.lists(st.integers(min_value=3, max_value=5), max_size=200))
def test_any_history_gives_a_due_date_within_the_calendar(qualities):
    from datetime import date, timedelta

    state = Sm2State()
    for quality in qualities:
        state = review(state, quality)
        assert state.interval <= MAX_INTERVAL
        date(9000, 12, 31) + timedelta(days=state.interval)  # the latest day DRILL_NOW allows


# --------------------------------------------------------------------------
# Independent reference: the published formulas in exact rational arithmetic.
# --------------------------------------------------------------------------

FLOOR = Fraction(13, 10)


def reference_review(ef: Fraction, interval: int, repetitions: int, quality: int):
    if quality < 3:
        return ef, 1, 0
    if repetitions == 0:
        new_interval = 1
    elif repetitions == 1:
        new_interval = 6
    else:
        new_interval = min(math.ceil(interval * ef), 36_500)  # Fraction.__ceil__ is exact; Anki's cap
    d = 5 - quality
    new_ef = ef + (Fraction(1, 10) - d * (Fraction(8, 100) + d * Fraction(2, 100)))
    return max(new_ef, FLOOR), new_interval, repetitions + 1


qualities_st = st.lists(st.integers(min_value=0, max_value=5), max_size=60)
start_ef_milli_st = st.integers(min_value=1, max_value=6000)
start_state_st = st.builds(
    Sm2State.from_milli,
    start_ef_milli_st,
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=100),
)


@given(start_state_st, qualities_st)
def test_matches_reference_float(start, qualities):
    ef = Fraction(easiness_milli(start), 1000)
    interval, repetitions = start.interval, start.repetitions
    state = start
    for quality in qualities:
        ef, interval, repetitions = reference_review(ef, interval, repetitions, quality)
        state = review(state, quality)
        assert type(state.easiness) is float
        assert state.easiness == float(ef)
        assert easiness_milli(state) == ef * 1000
        assert state.interval == interval
        assert state.repetitions == repetitions


@given(start_ef_milli_st, st.integers(0, 10**6), st.integers(0, 100), qualities_st)
def test_matches_reference_decimal(ef_milli, interval, repetitions, qualities):
    ef = Fraction(ef_milli, 1000)
    state = Sm2State(
        easiness=Decimal(ef_milli) / 1000, interval=interval, repetitions=repetitions
    )
    for quality in qualities:
        ef, interval, repetitions = reference_review(ef, interval, repetitions, quality)
        state = review(state, quality)
        assert isinstance(state.easiness, Decimal)
        assert Fraction(state.easiness) == ef
        assert state.interval == interval
        assert state.repetitions == repetitions


# --------------------------------------------------------------------------
# Properties over random grade sequences from the default state.
# --------------------------------------------------------------------------


@given(qualities_st)
def test_invariants_along_any_history(qualities):
    state = Sm2State()
    for quality in qualities:
        previous = state
        state = review(state, quality)
        assert easiness_milli(state) >= 1300
        assert state.interval >= 1
        if quality >= 3:
            # A success never shortens the interval:
            # 0 or 1 -> 1, 1 -> 6, and I -> ceil(I * EF) >= I because EF >= 1.3.
            assert state.interval >= previous.interval
            assert state.repetitions == previous.repetitions + 1


@given(qualities_st)
def test_repetitions_is_trailing_run_of_successes(qualities):
    trailing = 0
    for quality in reversed(qualities):
        if quality < 3:
            break
        trailing += 1
    state = Sm2State()
    for quality in qualities:
        state = review(state, quality)
    assert state.repetitions == trailing


@given(start_state_st, st.integers(min_value=0, max_value=2))
def test_failure_always_resets(start, quality):
    after = review(start, quality)
    assert after.repetitions == 0
    assert after.interval == 1
    assert easiness_milli(after) == easiness_milli(start)


@given(start_state_st)
def test_all_failing_grades_agree(start):
    assert review(start, 0) == review(start, 1) == review(start, 2)


@given(start_state_st)
def test_passing_grades_monotone(start):
    three, four, five = (review(start, q) for q in (3, 4, 5))
    # A higher passing grade never gives a lower EF ...
    assert easiness_milli(three) <= easiness_milli(four) <= easiness_milli(five)
    # ... and the interval does not depend on the grade at all, since it uses the EF
    # from before this review.
    assert three.interval == four.interval == five.interval
    assert three.repetitions == four.repetitions == five.repetitions


@given(start_state_st)
def test_success_interval_never_shorter_than_failure(start):
    # Holds whenever a state with a repetition count has a positive interval,
    # which every state reached from the default one does.
    if start.repetitions >= 2 and start.interval == 0:
        start = dataclasses.replace(start, interval=1)
    assert review(start, 3).interval >= review(start, 2).interval


@given(st.integers(min_value=1301, max_value=6000))
def test_ef_is_not_monotone_across_the_pass_fail_line(ef_milli):
    # q=3 subtracts 0.14 while q=2 leaves EF alone, so above the floor the
    # "better" grade 3 ends with a lower EF than grade 2.
    state = Sm2State.from_milli(ef_milli, 6, 2)
    assert easiness_milli(review(state, 3)) < easiness_milli(review(state, 2))


def test_ef_not_monotone_example():
    # 2.5 - 0.14 = 2.36 for q=3 versus an unchanged 2.5 for q=2.
    assert review(Sm2State(), 3).easiness == 2.36
    assert review(Sm2State(), 2).easiness == 2.5
