"""Exact arithmetic for typed answers, bounded so that no answer takes long to read.

Numbers are exact fractions while they stay small and floats otherwise; a calculation that
would overflow, divide by zero or take a negative number to a fractional power raises
:class:`~drill.answers.AnswerError` with a one-line hint.  ``drill.answer_parse`` calls
:func:`binary` for each operator it reads and :func:`to_float` for the final value.
"""

from __future__ import annotations

import math
from fractions import Fraction

from drill.answers import AnswerError

__all__ = ["Number", "binary", "tame", "to_float"]

# The biggest exponent and the biggest result magnitude (log10) of ``**``.
_MAX_EXPONENT = 1000
_MAX_POWER_LOG10 = 300
# Exact fractions whose numerator or denominator grows past this many bits
# are rounded to a float, so no calculation can take long.
_MAX_EXACT_BITS = 5000

_TOO_LARGE = "that number is too large to check"
_DIVISION_BY_ZERO = "division by zero; check the denominator"

#: A number inside a calculation: an exact fraction, or a float once exactness would cost too much.
Number = Fraction | float


def tame(x: Number | complex) -> Number:
    """Keep exact fractions small and floats finite (and refuse a complex result)."""
    if isinstance(x, complex):
        raise AnswerError("a negative number to a fractional power has no real value")
    if isinstance(x, Fraction):
        if (
            x.numerator.bit_length() > _MAX_EXACT_BITS
            or x.denominator.bit_length() > _MAX_EXACT_BITS
        ):
            return to_float(x)
        return x
    if not math.isfinite(x):
        raise AnswerError(_TOO_LARGE)
    return x


def to_float(x: Number) -> float:
    """The float of ``x``; one beyond the float range raises :class:`AnswerError`."""
    try:
        result = float(x)
    except OverflowError:
        raise AnswerError(_TOO_LARGE) from None
    if not math.isfinite(result):
        raise AnswerError(_TOO_LARGE)
    return result


def _is_integral(x: Number) -> bool:
    if isinstance(x, Fraction):
        return x.denominator == 1
    return x.is_integer()


def _log10_abs(x: Number) -> float:
    """log10(|x|) for a non-zero number, without overflowing on big fractions."""
    if isinstance(x, Fraction):
        return math.log10(abs(x.numerator)) - math.log10(x.denominator)
    return math.log10(abs(x))


def binary(op: str, a: Number, b: Number) -> Number:
    """``a op b`` for one of ``+ - * / **``, exact where that stays cheap."""
    result: Number | complex
    try:
        if op == "+":
            result = a + b
        elif op == "-":
            result = a - b
        elif op == "*":
            result = a * b
        elif op == "/":
            result = a / b
        else:
            result = _power(a, b)
    except ZeroDivisionError:
        raise AnswerError(_DIVISION_BY_ZERO) from None
    except OverflowError:
        raise AnswerError(_TOO_LARGE) from None
    return tame(result)


def _power(base: Number, exponent: Number) -> Number | complex:
    if exponent > _MAX_EXPONENT:
        raise AnswerError(_TOO_LARGE)
    integral = _is_integral(exponent)
    if base < 0 and not integral:
        raise AnswerError("a negative number to a fractional power has no real value")
    if base == 0:
        if exponent < 0:
            raise AnswerError(_DIVISION_BY_ZERO)
        return Fraction(1) if exponent == 0 else Fraction(0)
    magnitude = to_float(exponent) * _log10_abs(base)
    if magnitude > _MAX_POWER_LOG10:
        raise AnswerError(_TOO_LARGE)
    if isinstance(base, Fraction) and integral:
        power = abs(int(exponent))
        bits = max(base.numerator.bit_length(), base.denominator.bit_length())
        if bits * power <= 4 * _MAX_EXACT_BITS:
            return base ** int(exponent)
    try:
        float_base = float(base)
    except OverflowError:
        float_base = math.inf
    if float_base == 0 or math.isinf(float_base):
        # An exact base beyond the float range, although the result is not:
        # go through logarithms.
        negative = base < 0 and integral and int(exponent) % 2 == 1
        return math.copysign(10.0**magnitude, -1.0 if negative else 1.0)
    # float ** float is complex for a negative base and a fractional exponent, refused above;
    # ``tame`` refuses a complex result all the same.
    result: float | complex = float_base ** float(exponent)
    return result

