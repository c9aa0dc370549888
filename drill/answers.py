"""Typed answers: what a value is, checking one against the card, and printing values.

``drill.answer_parse`` reads what the learner typed into a :data:`Value`;
``check_answer`` compares a value with the card's expected answer, and
``format_value`` prints a value back in the notation ``parse_answer`` reads.
Every problem is reported as :class:`AnswerError`, whose message is one line
telling the learner what to do instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence, Sized
from dataclasses import dataclass
from typing import SupportsFloat, cast

from drill.errors import DrillError

__all__ = [
    "AnswerError",
    "Value",
    "Verdict",
    "check_answer",
    "format_value",
]

#: A typed answer once read: a number, a vector, or a matrix as a list of rows.
Value = float | list[float] | list[list[float]]


class AnswerError(DrillError):
    """A typed answer we could not read; the message is a one-line hint for the learner."""


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one answer: whether it is right, and a line to show."""

    correct: bool
    message: str


def check_rectangular(rows: Sequence[Sized]) -> None:
    """Refuse rows of different lengths (a matrix, typed or expected, is rectangular)."""
    width = len(rows[0])
    for row in rows[1:]:
        if len(row) != width:
            raise AnswerError(f"rows have different lengths ({width} and {len(row)})")


# --------------------------------------------------------------------------
# Checking and formatting
# --------------------------------------------------------------------------


def _plain(value: object) -> object:
    """Unwrap array-likes (anything with ``tolist``) and tuples into lists."""
    if hasattr(value, "tolist") and not isinstance(value, (int, float)):
        try:
            value = value.tolist()
        except Exception:  # noqa: BLE001 - an odd object is reported below
            return value
    if isinstance(value, tuple):
        value = list(value)
    return value


def _scalar(value: object) -> float | None:
    """The float of a plain number, or None when ``value`` is not one."""
    value = _plain(value)
    if isinstance(value, (list, str, bytes)) or value is None:
        return None
    if isinstance(value, complex):
        return None
    try:
        # Any object may come here: float() decides, and the errors below say it is no number.
        return float(cast(SupportsFloat, value))
    except OverflowError:
        return math.copysign(math.inf, value) if isinstance(value, int) else None
    except (TypeError, ValueError):
        return None


def _shape_and_values(value: object, what: str) -> tuple[tuple[int, ...], list[float]]:
    """Shape ((), (n,) or (rows, columns)) and the flat element list of a value."""
    bad = AnswerError(f"{what} is not a number or a list of numbers")
    number = _scalar(value)
    if number is not None:
        return (), [number]
    value = _plain(value)
    if not isinstance(value, list) or not value:
        raise bad
    items = [_plain(x) for x in value]
    rows = [x for x in items if isinstance(x, list)]
    if len(rows) == len(items):
        if any(not row for row in rows):
            raise bad
        check_rectangular(rows)
        flat = _numbers([x for row in rows for x in row])
        if flat is None:
            raise bad
        return (len(rows), len(rows[0])), flat
    flat = _numbers(items)
    if flat is None:
        raise bad
    return (len(flat),), flat


def _numbers(items: list[object]) -> list[float] | None:
    """The floats of plain numbers, or None when any item is not one."""
    numbers = [_scalar(x) for x in items]
    plain = [x for x in numbers if x is not None]
    return plain if len(plain) == len(numbers) else None


def _describe(shape: tuple[int, ...]) -> str:
    if shape == ():
        return "a single number"
    if len(shape) == 1:
        return "1 number" if shape[0] == 1 else f"{shape[0]} numbers"
    return f"a {shape[0]}x{shape[1]} matrix"


def _position(shape: tuple[int, ...], index: int) -> str:
    if len(shape) == 2:
        row, column = divmod(index, shape[1])
        return f"row {row + 1}, column {column + 1}"
    return f"element {index + 1}"


def check_answer(given: Value, expected: object, *, rtol: float = 1e-6, atol: float = 1e-9) -> Verdict:
    """Compare a parsed answer with the expected one, element by element.

    An element is right when ``|given - expected| <= atol + rtol * |expected|``.
    A shape mismatch makes the answer wrong (it is not an error), except that
    a one-element vector and a single number are treated as the same, and so are
    a vector and the same numbers typed as one column or one row.
    """
    given_shape, given_values = _shape_and_values(given, "the answer")
    expected_shape, expected_values = _shape_and_values(expected, "the card's expected answer")
    try:
        rtol, atol = float(rtol), float(atol)
    except (TypeError, ValueError, OverflowError):
        raise AnswerError("the tolerances must be numbers") from None

    if {given_shape, expected_shape} == {(), (1,)}:
        given_shape = expected_shape
    # A vector typed as one column (2 rows "2; 0") or one row is the same vector.
    if (
        len(expected_shape) == 1
        and len(given_shape) == 2
        and 1 in given_shape
        and given_shape[0] * given_shape[1] == expected_shape[0]
    ):
        given_shape = expected_shape
    if given_shape != expected_shape:
        if len(expected_shape) == 1 and given_shape == ():
            gave = "1"
        elif len(expected_shape) == 1 and len(given_shape) == 1:
            gave = str(given_shape[0])
        else:
            gave = _describe(given_shape)
        return Verdict(False, f"Not quite: expected {_describe(expected_shape)}, you gave {gave}.")

    wrong = [
        index
        for index, (g, e) in enumerate(zip(given_values, expected_values))
        if not abs(g - e) <= atol + rtol * abs(e)
    ]
    if not wrong:
        return Verdict(True, "Right.")
    first = wrong[0]
    gave = format_value(given_values[first])
    wanted = format_value(expected_values[first])
    if gave == wanted:  # a tight tolerance; show every digit
        gave, wanted = repr(given_values[first]), repr(expected_values[first])
    if expected_shape in ((), (1,)):
        message = f"Not quite: you gave {gave}, expected {wanted}."
    else:
        message = f"Not quite: {_position(expected_shape, first)} is {gave}, expected {wanted}."
    if len(wrong) > 1:
        message += f" {len(wrong)} of {len(expected_values)} numbers are off."
    return Verdict(False, message)


def _format_number(value: object) -> str:
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int) and abs(value) < 10**15:
        return str(value)
    number = _scalar(value)
    if number is None:
        raise AnswerError("only numbers and lists of numbers can be shown")
    if math.isnan(number):
        return "nan"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    if number == 0:
        return "0"
    text = f"{number:.10g}"
    if not math.isfinite(float(text)):  # rounding up past the largest float
        text = repr(number)
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def format_value(value: object) -> str:
    """Short text for a number, vector or matrix: ``2``, ``0.9999``, ``[[2, 0], [0, 2]]``.

    Numbers keep up to 10 significant digits without trailing zeros, and
    ``parse_answer`` reads the text back.
    """
    value = _plain(value)
    if isinstance(value, list):
        return "[" + ", ".join(format_value(x) for x in value) + "]"
    return _format_number(value)
