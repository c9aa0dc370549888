"""Tests for drill.answers: reading, checking and printing typed answers.

The expected values in the tables are written out by hand from the notation
described in the module docstring, never produced by running the parser.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import math
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drill.answer_parse import MAX_ANSWER_LENGTH, parse_answer
from drill.answers import AnswerError, Verdict, check_answer, format_value
from drill.errors import DrillError

# --------------------------------------------------------------------------
# parse_answer: what it accepts
# --------------------------------------------------------------------------

def _same(got, want) -> bool:
    """Equal shape, plain floats, and values equal to within one rounding."""
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(map(_same, got, want))
    return type(got) is float and math.isclose(got, want, rel_tol=1e-15, abs_tol=0.0)


GOOD = [
    # plain numbers
    ("2", 2.0),
    ("-2", -2.0),
    ("+3", 3.0),
    ("0.9999", 0.9999),
    (".5", 0.5),
    ("2.", 2.0),
    ("1e-3", 0.001),
    ("1E3", 1000.0),
    ("1e+3", 1000.0),
    ("0", 0.0),
    ("-0", 0.0),
    ("007", 7.0),
    # fractions and percent
    ("1/3", 1 / 3),
    ("-3/4", -0.75),
    ("99.99%", 0.9999),
    ("50 %", 0.5),
    ("-12.5%", -0.125),
    # unicode spellings and whitespace
    ("\u22122", -2.0),  # minus sign
    ("  2  ", 2.0),
    ("\t0.5\n", 0.5),
    ("\u20092\u2009", 2.0),  # thin spaces around
    ("2\u00d73", 6.0),  # ×
    ("2\u00b73", 6.0),  # ·
    ("6\u00f74", 1.5),  # ÷
    ("2^3", 8.0),
    # arithmetic
    ("1 - 0.01*0.01", 0.9999),
    ("1-0.01*0.01", 0.9999),
    ("2*1 + 1*0", 2.0),
    ("(1/2)**2", 0.25),
    ("(1/2)^2", 0.25),
    ("2**3**2", 512.0),  # right-associative
    ("-2**2", -4.0),  # ** binds tighter than the sign
    ("2**-1", 0.5),
    ("(-2)**2", 4.0),
    ("2 * -3", -6.0),
    ("2 *3", 6.0),
    ("10/4/5", 0.5),
    ("2*(1 -1)", 0.0),  # inside ( ) spaces never split
    ("(2 -1)", 1.0),
    ("1 - 2 - 3", -4.0),
    ("2 - -2", 4.0),
    ("0.1 + 0.2", 0.3),  # exact rational arithmetic
    ("4**0.5", 2.0),
    ("1e300*1e300/1e300", 1e300),
    # vectors
    ("[2, 0]", [2.0, 0.0]),
    ("2 0", [2.0, 0.0]),
    ("2, 0", [2.0, 0.0]),
    ("(2, 0)", [2.0, 0.0]),
    ("[2 0]", [2.0, 0.0]),
    ("[2*1, 0]", [2.0, 0.0]),
    ("[-1, -2]", [-1.0, -2.0]),
    ("-1 -2", [-1.0, -2.0]),
    ("2 -2", [2.0, -2.0]),
    ("2 +2", [2.0, 2.0]),
    ("[2 -2]", [2.0, -2.0]),
    ("2\u20090", [2.0, 0.0]),  # a thin space separates like a space
    ("1,000", [1.0, 0.0]),  # no thousands separators
    ("0,5", [0.0, 5.0]),  # no decimal commas
    ("[2]", [2.0]),
    ("[2,]", [2.0]),
    ("[1,\n2]", [1.0, 2.0]),  # a line break after a comma continues the row
    ("[1/2, 50%, 2^-1]", [0.5, 0.5, 0.5]),
    ("(1, 2) ", [1.0, 2.0]),
    # matrices
    ("[[2, 0], [0, 2]]", [[2.0, 0.0], [0.0, 2.0]]),
    ("2 0; 0 2", [[2.0, 0.0], [0.0, 2.0]]),
    ("[2 0; 0 2]", [[2.0, 0.0], [0.0, 2.0]]),
    ("2 0\n0 2", [[2.0, 0.0], [0.0, 2.0]]),
    ("2 0\r\n0 2\r\n", [[2.0, 0.0], [0.0, 2.0]]),
    ("[[2 0] [0 2]]", [[2.0, 0.0], [0.0, 2.0]]),
    ("[1, 2]; [3, 4]", [[1.0, 2.0], [3.0, 4.0]]),
    ("[1, 2]\n[3, 4]", [[1.0, 2.0], [3.0, 4.0]]),
    ("[[1, 2, 3]]", [[1.0, 2.0, 3.0]]),
    ("1; 2", [[1.0], [2.0]]),
    ("[[-1 -2] [3 -4]]", [[-1.0, -2.0], [3.0, -4.0]]),
    ("((1, 2), (3, 4))", [[1.0, 2.0], [3.0, 4.0]]),
]


@pytest.mark.parametrize(("text", "expected"), GOOD, ids=[repr(t) for t, _ in GOOD])
def test_parse_accepts(text, expected):
    assert _same(parse_answer(text), expected)


def test_parse_returns_plain_floats():
    assert type(parse_answer("2")) is float
    assert type(parse_answer("1/3")) is float
    assert all(type(x) is float for x in parse_answer("[1, 2]"))


def test_exact_arithmetic_rounds_once():
    # 0.1 + 0.2 in floats is 0.30000000000000004; read exactly it is 0.3.
    assert parse_answer("0.1 + 0.2") == 0.3
    assert parse_answer("99.99%") == 0.9999
    assert parse_answer("1/3") == 1 / 3


def test_negative_zero_reads_as_zero():
    assert math.copysign(1.0, parse_answer("-0")) == 1.0


# The whitespace / sign rule, spelled out case by case.
SIGN_RULE = [
    ("2 -2", [2.0, -2.0]),  # space before the sign only: new element
    ("2 - 2", 0.0),  # spaces on both sides: subtraction
    ("2-2", 0.0),  # no spaces: subtraction
    ("2- 2", 0.0),  # space after only: subtraction
    ("2 --2", [2.0, 2.0]),
    ("1 - 0.01*0.01", 0.9999),
    ("1 -0.01*0.01", [1.0, -0.0001]),
    ("3 +1 -1", [3.0, 1.0, -1.0]),
    ("3 + 1 - 1", 3.0),
    ("(3 +1 -1)", 3.0),  # never split inside round brackets
    ("[3 +1 -1]", [3.0, 1.0, -1.0]),
    ("2 (3)", [2.0, 3.0]),
    ("(2) (3)", [2.0, 3.0]),
]


@pytest.mark.parametrize(("text", "expected"), SIGN_RULE, ids=[repr(t) for t, _ in SIGN_RULE])
def test_whitespace_and_sign_rule(text, expected):
    assert _same(parse_answer(text), expected)


def test_tricky_literals_are_exact():
    assert parse_answer("5e-324") == 5e-324
    assert parse_answer("1.7976931348623157e+308") == 1.7976931348623157e308
    assert parse_answer("1e-310") == 1e-310
    assert parse_answer("0." + "0" * 1000 + "1e1001") == 1.0


# --------------------------------------------------------------------------
# parse_answer: what it refuses
# --------------------------------------------------------------------------

BAD = [
    ("", "empty"),
    ("   ", "empty"),
    ("\n\t", "empty"),
    ("1" * (MAX_ANSWER_LENGTH + 1), "too long"),
    ("nan", "not a finite number"),
    ("NaN", "not a finite number"),
    ("inf", "not a finite number"),
    ("-Infinity", "not a finite number"),
    ("\u221e", "not a finite number"),
    ("1e999", "not a finite number"),
    ("[1, 1e999]", "not a finite number"),
    ('__import__("os")', "not a number"),
    ("__import__('os').system('ls')", "not a number"),
    ("os.system", "not a number"),
    ("2**99999", "too large"),
    ("9**9**9", "too large"),
    ("10**301", "too large"),
    ("0.5**-1000", "too large"),
    ("1e300*1e300", "too large"),
    ("1e308 + 1e308", "too large"),
    ("[1, [2]]", "mixes numbers and lists"),
    ("[[1, 2], 3]", "mixes numbers and lists"),
    ("[[1,2],[3]]", "rows have different lengths (2 and 1)"),
    ("[[1, 2], [3, 4, 5]]", "rows have different lengths (2 and 3)"),
    ("1 2; 3", "rows have different lengths (2 and 1)"),
    ("[[[1]]]", "nest at most two deep"),
    ("abc", "'abc' is not a number"),
    ("pi", "not a number"),
    ("2..3", "'2..3' is not a number"),
    ("1.2.3", "not a number"),
    ("1e", "'1e' is not a number"),
    ("1_000", "not a number"),
    ("0x10", "not a number"),
    ("2x3", "not a number"),
    (")(", "no matching"),
    ("]", "no matching"),
    ("[", "never closed"),
    ("(1 + 2", "never closed"),
    ("[1, 2)", "does not match"),
    ("[]", "nothing between"),
    ("()", "nothing between"),
    ("\U0001f600", "unexpected character"),
    ("2 \U0001f600", "unexpected character"),
    ("\x00", "invisible character"),
    ("2\x00", "invisible character"),
    ("\u202e2", "invisible character"),
    ("1/0", "division by zero"),
    ("1/(1 - 1)", "division by zero"),
    ("0**-1", "division by zero"),
    ("(-8)**(1/3)", "no real value"),
    ("2(3)", "missing operator"),
    ("(2 0)", "missing operator"),
    ("[1][2]", "missing operator"),
    (",", "comma"),
    ("1,,2", "two commas"),
    ("*2", "needs a number before it"),
    ("%", "needs a number before it"),
    ("2+", "expected a number after '+'"),
    ("2 * ", "expected a number after '*'"),
    ("2***3", "expected a number after '**'"),
    ("[1, 2] * 2", "cannot be part of a calculation"),
    ("-[1, 2]", "cannot be part of a calculation"),
    ("(1; 2)", "inside ( )"),
    ("(" * 40 + "1" + ")" * 40, "nested"),
    ("'2'", "unexpected character"),
    ("2 # comment", "unexpected character"),
    ("\uff12", "unexpected character"),  # full-width digit two
    ("2\u00b2", "type powers with ^"),  # superscript two
    ("2\\", "unexpected character"),
    ("lambda: 2", "not a number"),
]


@pytest.mark.parametrize(("text", "hint"), BAD, ids=[repr(t[:30]) for t, _ in BAD])
def test_parse_refuses(text, hint):
    with pytest.raises(AnswerError) as caught:
        parse_answer(text)
    message = str(caught.value)
    assert message
    assert "\n" not in message and "\r" not in message
    assert hint in message
    assert len(message) < 200


def test_every_refusal_is_a_drill_error():
    assert issubclass(AnswerError, DrillError)


@pytest.mark.parametrize("text", ["abc", "2..3", "\U0001f600", ")(", "", "nan"])
def test_refusals_say_what_to_type(text):
    with pytest.raises(AnswerError) as caught:
        parse_answer(text)
    assert "type" in str(caught.value) or "add" in str(caught.value)


def test_long_input_is_refused_but_the_limit_itself_is_fine():
    parse_answer(" " * (MAX_ANSWER_LENGTH - 1) + "2")
    with pytest.raises(AnswerError, match="too long"):
        parse_answer(" " * MAX_ANSWER_LENGTH + "2")


@pytest.mark.parametrize(
    "text",
    [
        "-" * (MAX_ANSWER_LENGTH - 1) + "1",
        "2**" * 600 + "2",
        "1.0000001**" * 150 + "2",
        "1e300*" * 300 + "1",
        "1e-300*" * 300 + "1",
        "(" * 15 + "1" + ")" * 15,
        "[" * 15 + "1" + "]" * 15,
        "1/3*" * 400 + "1",
        "9" * MAX_ANSWER_LENGTH,
    ],
    ids=lambda t: repr(t[:20]),
)
def test_hostile_inputs_are_quick(text):
    start = time.perf_counter()
    try:
        parse_answer(text)
    except AnswerError as error:
        assert "\n" not in str(error)
    assert time.perf_counter() - start < 1.0


def test_non_text_is_refused():
    with pytest.raises(AnswerError):
        parse_answer(2)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# check_answer
# --------------------------------------------------------------------------

RIGHT = [
    (2.0, 2),
    (2.0, 2.0),
    (0.9999, 0.9999),
    ([2.0, 0.0], [2, 0]),
    ([[2.0, 0.0], [0.0, 2.0]], [[2, 0], [0, 2]]),
    ([2.0], 2),  # a one-element vector is the number
    (2.0, [2]),
    ([2.0], [2.0]),
    (-0.0, 0),
    (1 / 3, 0.3333333),  # within rtol 1e-6
    (1e-10, 0),  # within atol 1e-9
    ([1.0, 2.0], (1, 2)),
]


@pytest.mark.parametrize(("given_value", "expected"), RIGHT)
def test_check_right(given_value, expected):
    assert check_answer(given_value, expected) == Verdict(True, "Right.")


WRONG = [
    (0.5, 0, "Not quite: you gave 0.5, expected 0."),
    (3.0, 2, "Not quite: you gave 3, expected 2."),
    ([2.0, 0.5], [2, 0], "Not quite: element 2 is 0.5, expected 0."),
    ([1.0, 1.0, 1.0], [0, 0, 0], "Not quite: element 1 is 1, expected 0. 3 of 3 numbers are off."),
    (
        [[2.0, 0.0], [0.5, 2.0]],
        [[2, 0], [0, 2]],
        "Not quite: row 2, column 1 is 0.5, expected 0.",
    ),
    ([0.0], 1, "Not quite: you gave 0, expected 1."),
]


@pytest.mark.parametrize(("given_value", "expected", "message"), WRONG)
def test_check_wrong_value(given_value, expected, message):
    assert check_answer(given_value, expected) == Verdict(False, message)


WRONG_SHAPE = [
    ([2.0, 0.0, 1.0], [2, 0], "Not quite: expected 2 numbers, you gave 3."),
    ([2.0], [2, 0], "Not quite: expected 2 numbers, you gave 1."),
    (2.0, [2, 0], "Not quite: expected 2 numbers, you gave 1."),
    ([2.0, 0.0], 2, "Not quite: expected a single number, you gave 2 numbers."),
    ([2.0, 0.0, 0.0, 2.0], [[2, 0], [0, 2]], "Not quite: expected a 2x2 matrix, you gave 4 numbers."),
    ([[2.0, 0.0], [1.0, 1.0]], [2, 0, 1, 1], "Not quite: expected 4 numbers, you gave a 2x2 matrix."),
    ([[2.0, 0.0], [0.0, 2.0]], [[2, 0, 0], [0, 2, 0]], "Not quite: expected a 2x3 matrix, you gave a 2x2 matrix."),
    ([[2.0]], 2, "Not quite: expected a single number, you gave a 1x1 matrix."),
]


@pytest.mark.parametrize(("given_value", "expected", "message"), WRONG_SHAPE)
def test_check_wrong_shape_is_just_wrong(given_value, expected, message):
    assert check_answer(given_value, expected) == Verdict(False, message)


TOLERANCE = [
    # given, expected, rtol, atol, correct
    (2.0 + 1.9e-6, 2, 1e-6, 1e-9, True),  # inside 1e-9 + 2e-6
    (2.0 + 2.1e-6, 2, 1e-6, 1e-9, False),
    (2.0 - 2.1e-6, 2, 1e-6, 1e-9, False),
    (0.9e-9, 0, 1e-6, 1e-9, True),  # rtol does not help at zero
    (1.1e-9, 0, 1e-6, 1e-9, False),
    (-1.1e-9, 0, 1e-6, 1e-9, False),
    (0.75, 1, 0.25, 0.0, True),  # exactly on the edge counts as right
    (0.7499, 1, 0.25, 0.0, False),
    (1.0, 1, 0.0, 0.0, True),
    (1.0 + 2**-52, 1, 0.0, 0.0, False),
    (1.01, 1, 0.0, 0.01 + 1e-12, True),
    (1e6 + 1, 1e6, 1e-6, 0.0, True),
    (1e6 + 2, 1e6, 1e-6, 0.0, False),
]


@pytest.mark.parametrize(("given_value", "expected", "rtol", "atol", "correct"), TOLERANCE)
def test_check_tolerance_edges(given_value, expected, rtol, atol, correct):
    verdict = check_answer(given_value, expected, rtol=rtol, atol=atol)
    assert verdict.correct is correct
    assert verdict.message.startswith("Right." if correct else "Not quite:")


def test_tight_tolerance_shows_every_digit():
    verdict = check_answer(1.0 + 2**-52, 1, rtol=0.0, atol=0.0)
    assert verdict.message == "Not quite: you gave 1.0000000000000002, expected 1.0."


def test_check_parsed_answers_end_to_end():
    assert check_answer(parse_answer("1 - 0.01*0.01"), 0.9999).correct
    assert check_answer(parse_answer("[2]"), 2).correct
    assert check_answer(parse_answer("2 0; 0 2"), [[2, 0], [0, 2]]).correct
    assert not check_answer(parse_answer("2 - 2"), [2, -2]).correct
    assert check_answer(parse_answer("2 -2"), [2, -2]).correct


def test_verdict_is_frozen():
    verdict = check_answer(2.0, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        verdict.correct = False  # type: ignore[misc]


@pytest.mark.parametrize(
    ("given_value", "expected"),
    [
        ("2", 2),
        (2.0, "2"),
        (2.0, []),
        (2.0, [[1, 2], [3]]),
        (2.0, [1, [2]]),
        ([[1.0, 2.0], [3.0]], [[1, 2], [3, 4]]),
        (None, 2),
    ],
)
def test_check_refuses_values_that_are_not_numbers(given_value, expected):
    with pytest.raises(AnswerError) as caught:
        check_answer(given_value, expected)
    assert "\n" not in str(caught.value)


# --------------------------------------------------------------------------
# format_value
# --------------------------------------------------------------------------

FORMATS = [
    (2.0, "2"),
    (2, "2"),
    (0.9999, "0.9999"),
    (-0.0, "0"),
    (0.0, "0"),
    (-2.5, "-2.5"),
    (1 / 3, "0.3333333333"),
    (2 / 3, "0.6666666667"),
    (1e-5, "1e-5"),
    (1.5e20, "1.5e20"),
    (123456789.0, "123456789"),
    (1234567890123.0, "1.23456789e12"),
    ([2.0, 0.0], "[2, 0]"),
    ([[2.0, 0.0], [0.0, 2.0]], "[[2, 0], [0, 2]]"),
    ((1, 2), "[1, 2]"),
    (float("inf"), "inf"),
    (float("nan"), "nan"),
]


@pytest.mark.parametrize(("value", "text"), FORMATS)
def test_format_value(value, text):
    assert format_value(value) == text


def test_format_value_refuses_text():
    with pytest.raises(AnswerError):
        format_value("2")


def test_format_value_of_the_largest_float_reads_back():
    big = sys.float_info.max
    assert parse_answer(format_value(big)) == big
    assert parse_answer(format_value(-big)) == -big


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

ANSWER_ALPHABET = st.sampled_from(
    [*list("0123456789.eE+-*/^%()[],; \n\t"), "**", "−", "×", "·", "÷", "\u2009", "nan", "1e999", "x"]
)


def _assert_value(result) -> None:
    if isinstance(result, float):
        assert math.isfinite(result)
        return
    assert isinstance(result, list) and result
    if all(isinstance(x, float) for x in result):
        assert all(math.isfinite(x) for x in result)
        return
    assert all(isinstance(row, list) and row for row in result)
    assert len({len(row) for row in result}) == 1
    assert all(type(x) is float and math.isfinite(x) for row in result for x in row)


def _parse_or_refuse(text: str) -> None:
    start = time.perf_counter()
    try:
        result = parse_answer(text)
    except AnswerError as error:
        message = str(error)
        assert message and "\n" not in message and "\r" not in message
    else:
        _assert_value(result)
    assert time.perf_counter() - start < 0.5


@given(st.text())
def test_any_text_parses_or_is_refused(text):
    _parse_or_refuse(text)


@given(st.lists(ANSWER_ALPHABET, max_size=40).map("".join))
def test_answer_like_text_parses_or_is_refused(text):
    _parse_or_refuse(text)


finite = st.floats(allow_nan=False, allow_infinity=False)
values = st.one_of(
    finite,
    st.lists(finite, min_size=1, max_size=6),
    st.integers(1, 4).flatmap(
        lambda width: st.lists(
            st.lists(finite, min_size=width, max_size=width), min_size=1, max_size=4
        )
    ),
)


def _close(a, b) -> bool:
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_close, a, b))
    # 10 significant digits: relative error at most 5e-10.
    return isinstance(b, float) and math.isclose(a, b, rel_tol=1e-9, abs_tol=0.0)


@given(values)
def test_format_then_parse_round_trips(value):
    assert _close(parse_answer(format_value(value)), value)


@given(finite)
def test_repr_of_a_float_reads_back_exactly(x):
    assert parse_answer(repr(x)) == x


@given(finite)
@settings(max_examples=50)
def test_a_parsed_float_is_right_against_itself(x):
    assert check_answer(parse_answer(repr(x)), x).correct


# --------------------------------------------------------------------------
# Hygiene
# --------------------------------------------------------------------------


ANSWER_MODULES = ["drill.answers", "drill.answer_parse", "drill.answer_arithmetic"]


@pytest.mark.parametrize("module", ANSWER_MODULES)
def test_module_does_not_import_numpy(module):
    code = f"import sys, {module}; sys.exit('numpy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.parametrize("module", ANSWER_MODULES)
def test_module_never_evaluates_code(module):
    tree = ast.parse(Path(importlib.import_module(module).__file__).read_text(encoding="utf-8"))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert not {"eval", "exec", "compile", "__import__", "getattr"} & names
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "numpy" not in imported


@pytest.mark.parametrize("typed", ["2; -3", "2\n-3", "[[2, -3]]", "[[2], [-3]]"])
def test_a_vector_typed_as_a_column_or_row_is_right(typed):
    assert check_answer(parse_answer(typed), [2, -3]).correct


def test_a_column_with_a_wrong_number_is_wrong():
    verdict = check_answer(parse_answer("2; 3"), [2, -3])
    assert not verdict.correct
    assert "element 2" in verdict.message
