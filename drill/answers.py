"""Read and check the numeric answers a learner types in the terminal.

``parse_answer`` turns text into a :data:`Value`, ``check_answer`` compares a
value with the card's expected answer, and ``format_value`` prints a value
back in the same notation.  Nothing here evaluates Python code: the text goes
through a small tokenizer and a recursive-descent parser that only knows
numbers, ``+ - * / ** ( ) [ ]``, ``%``, commas and row separators.  Every
problem with the text is reported as :class:`AnswerError`, whose message is
one line telling the learner what to type instead.

Accepted forms
--------------
Numbers
    ``2``, ``-2``, ``+3``, ``0.9999``, ``.5``, ``2.``, ``1e-3``, ``1E3``.
    A ``%`` after a number divides it by 100 (``99.99%`` is 0.9999).
    ``nan``, ``inf`` and literals too large for a float (``1e999``) are
    refused.
Arithmetic
    ``+ - * / **`` and round brackets, with the usual precedence (``**``
    binds tighter than a leading minus and groups to the right, so ``-2**2``
    is -4 and ``2**3**2`` is 512).  Learners' spellings are accepted too:
    ``^`` for ``**``, ``×`` and ``·`` for ``*``, ``÷`` for ``/`` and the
    Unicode minus ``−`` for ``-``.  Rational arithmetic is exact
    (``1/3``, ``1 - 0.01*0.01``) and rounded to a float only at the end.  A
    power whose exponent exceeds 1000 or whose result would exceed 1e300 in
    magnitude is refused, as is division by zero.
Vectors
    ``[2, 0]``, ``(2, 0)``, ``2, 0``, ``[2 0]``, ``2 0``.  Elements may be
    calculations: ``[2*1, 0]``.
Matrices
    ``[[2, 0], [0, 2]]``, ``[2 0; 0 2]``, ``2 0; 0 2``, or one row per line.
    Rows must all have the same length.

Separating elements
-------------------
A comma always separates elements.  A ``;`` or a line break always ends a
row (a line break straight after a comma just continues the row).  Because
of that, thousands separators and decimal commas are *not* understood:
``1,000`` is the vector ``[1, 0]`` and ``0,5`` is ``[0, 5]``.

Whitespace separates elements at the top level and directly inside square
brackets, token by token:

* After a complete term (a number, a closing bracket or a ``%``), whitespace
  followed by a number or an opening bracket starts a new element:
  ``2 0`` is ``[2, 0]``.
* A ``+`` or ``-`` that has whitespace before it but none after it is the
  sign of a new element: ``2 -2`` is ``[2, -2]`` and ``-1 -2`` is
  ``[-1, -2]``.
* Any other ``+`` or ``-`` is a binary operator: ``2 - 2``, ``2-2`` and
  ``2- 2`` are all 0, and ``1 - 0.01*0.01`` is one number.
* ``*``, ``/``, ``**`` and their spellings are always binary, whatever the
  spacing: ``2 *3`` is 6.

Inside round brackets whitespace never separates anything, because round
brackets group a calculation: ``2*(1 -1)`` is 0.  Commas still make a
vector there, so ``(2, 0)`` is ``[2, 0]``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from drill.errors import DrillError

__all__ = [
    "MAX_ANSWER_LENGTH",
    "AnswerError",
    "Value",
    "Verdict",
    "check_answer",
    "format_value",
    "parse_answer",
]

Value = float | list[float] | list[list[float]]

#: Longest text ``parse_answer`` reads, in characters.
MAX_ANSWER_LENGTH = 2000

# How deeply brackets may nest; keeps the recursive parser far from the
# interpreter's recursion limit.
_MAX_NESTING = 20
# The biggest exponent and the biggest result magnitude (log10) of ``**``.
_MAX_EXPONENT = 1000
_MAX_POWER_LOG10 = 300
# Exact fractions whose numerator or denominator grows past this many bits
# are rounded to a float, so no calculation can take long.
_MAX_EXACT_BITS = 5000
# A literal with a larger decimal exponent is read as a float directly.
_MAX_EXACT_LITERAL_EXPONENT = 400

_EXAMPLE = "type a number such as 2, 1/3 or [2, 0]"
_EMPTY = "the answer is empty; type a number such as 2 or [2, 0]"
_NOT_FINITE = "that is not a finite number; type the value you computed"
_TOO_LARGE = "that number is too large to check"
_DIVISION_BY_ZERO = "division by zero; check the denominator"
_LIST_IN_ARITHMETIC = (
    "a list cannot be part of a calculation; work out each element, as in [2*1, 0]"
)
_MIXED = "a list mixes numbers and lists; type [2, 0] for a vector or [[2, 0], [0, 2]] for a matrix"
_TOO_DEEP = "lists nest at most two deep; type a matrix as [[2, 0], [0, 2]]"


class AnswerError(DrillError):
    """A typed answer we could not read; the message is a one-line hint for the learner."""


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one answer: whether it is right, and a line to show."""

    correct: bool
    message: str


# --------------------------------------------------------------------------
# Tokenizer
# --------------------------------------------------------------------------

_NUM = "NUM"
_OP = "OP"  # + - * / ** (normalized in Token.op)
_PCT = "PCT"
_LP, _RP, _LB, _RB = "LP", "RP", "LB", "RB"
_COMMA, _SEMI, _NL, _EOF = "COMMA", "SEMI", "NL", "EOF"

_CLOSER_OF = {_LP: _RP, _LB: _RB}
_TEXT_OF = {_LP: "(", _RP: ")", _LB: "[", _RB: "]"}

_OPERATOR_SPELLINGS = {
    "+": "+",
    "-": "-",
    "\u2212": "-",  # minus sign
    "*": "*",
    "\u00d7": "*",  # multiplication sign
    "\u00b7": "*",  # middle dot
    "\u22c5": "*",  # dot operator
    "/": "/",
    "\u00f7": "/",  # division sign
    "^": "**",
}
_PUNCTUATION = {
    "(": _LP,
    ")": _RP,
    "[": _LB,
    "]": _RB,
    ",": _COMMA,
    ";": _SEMI,
    "%": _PCT,
}
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_INVISIBLE_SPACES = frozenset("\u200b\u2060\ufeff")
_SUPERSCRIPTS = frozenset("\u00b2\u00b3\u00b9\u2070\u2071\u2074\u2075\u2076\u2077\u2078\u2079\u207a\u207b")
_NOT_FINITE_WORDS = frozenset({"nan", "inf", "infinity", "infty"})

# Everything that starts like a number and runs on, so that "2..3", "1e" or
# "2x" are reported whole rather than as two pieces.
_NUMBER_BLOB = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]*)?[A-Za-z0-9_.]*")
_NUMBER = re.compile(r"(?:([0-9]+)(?:\.([0-9]*))?|\.([0-9]+))(?:[eE]([+-]?[0-9]+))?")
_WORD = re.compile(r"[^\W\d]\w*")


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str  # as typed, for messages
    space_before: bool
    op: str = ""  # normalized operator for _OP tokens
    value: Fraction | float | None = None  # for _NUM tokens


def _show(text: str) -> str:
    """Quote a piece of the learner's text for a one-line message."""
    if len(text) == 1 and not (text.isprintable() and not text.isspace()):
        return f"U+{ord(text):04X}"
    shown = "".join(ch if ch.isprintable() and not ch.isspace() else "?" for ch in text)
    if len(shown) > 20:
        shown = shown[:19] + "\u2026"
    return f"'{shown}'"


def _number_value(text: str) -> Fraction | float:
    """The value of a number literal: exact when that is cheap, else a float."""
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise AnswerError(f"{_show(text)} is not a number; {_EXAMPLE}")
    whole, fraction_digits, bare_fraction, exponent_text = match.groups()
    try:
        as_float = float(text)
    except (ValueError, OverflowError):  # pragma: no cover - the regex admits only floats
        raise AnswerError(f"{_show(text)} is not a number; {_EXAMPLE}") from None
    if not math.isfinite(as_float):
        raise AnswerError(_NOT_FINITE)
    if exponent_text is not None and len(exponent_text.lstrip("+-")) > 6:
        return as_float
    exponent = int(exponent_text) if exponent_text is not None else 0
    if abs(exponent) > _MAX_EXACT_LITERAL_EXPONENT:
        return as_float
    if bare_fraction is not None:
        whole, fraction_digits = "", bare_fraction
    fraction_digits = fraction_digits or ""
    exponent -= len(fraction_digits)
    mantissa = int((whole or "") + fraction_digits or "0")
    if exponent >= 0:
        return _tame(Fraction(mantissa * 10**exponent))
    return _tame(Fraction(mantissa, 10**-exponent))


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    space = False
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _LINE_BREAKS:
            tokens.append(_Token(_NL, ch, space))
            space = True
            i += 1
            continue
        if ch.isspace() or ch in _INVISIBLE_SPACES:
            space = True
            i += 1
            continue
        if ch in "0123456789" or (ch == "." and i + 1 < n and text[i + 1] in "0123456789"):
            blob = _NUMBER_BLOB.match(text, i)
            assert blob is not None
            literal = blob.group()
            tokens.append(_Token(_NUM, literal, space, value=_number_value(literal)))
            i = blob.end()
        elif ch == "*" and text.startswith("**", i):
            tokens.append(_Token(_OP, "**", space, op="**"))
            i += 2
        elif ch in _OPERATOR_SPELLINGS:
            tokens.append(_Token(_OP, ch, space, op=_OPERATOR_SPELLINGS[ch]))
            i += 1
        elif ch in _PUNCTUATION:
            tokens.append(_Token(_PUNCTUATION[ch], ch, space))
            i += 1
        elif ch == "\u221e":  # infinity sign
            raise AnswerError(_NOT_FINITE)
        elif ch in _SUPERSCRIPTS:
            raise AnswerError("type powers with ^ or **, as in 2^2 or 2**2")
        else:
            word = _WORD.match(text, i)
            if word is not None:
                if word.group().lower() in _NOT_FINITE_WORDS:
                    raise AnswerError(_NOT_FINITE)
                raise AnswerError(f"{_show(word.group())} is not a number; {_EXAMPLE}")
            if not ch.isprintable():
                raise AnswerError(
                    f"the answer contains an invisible character ({_show(ch)}); "
                    f"retype it, e.g. 2 or [2, 0]"
                )
            raise AnswerError(f"unexpected character {_show(ch)}; {_EXAMPLE}")
        space = False
    tokens.append(_Token(_EOF, "", space))
    return tokens


# --------------------------------------------------------------------------
# Arithmetic on exact fractions or floats
# --------------------------------------------------------------------------

Number = Fraction | float


def _tame(x: Number) -> Number:
    """Keep exact fractions small and floats finite."""
    if isinstance(x, complex):
        raise AnswerError("a negative number to a fractional power has no real value")
    if isinstance(x, Fraction):
        if (
            x.numerator.bit_length() > _MAX_EXACT_BITS
            or x.denominator.bit_length() > _MAX_EXACT_BITS
        ):
            return _to_float(x)
        return x
    if not math.isfinite(x):
        raise AnswerError(_TOO_LARGE)
    return x


def _to_float(x: Number) -> float:
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


def _binary(op: str, a, b):
    if isinstance(a, list) or isinstance(b, list):
        raise AnswerError(_LIST_IN_ARITHMETIC)
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
    return _tame(result)


def _power(base: Number, exponent: Number) -> Number:
    if exponent > _MAX_EXPONENT:
        raise AnswerError(_TOO_LARGE)
    integral = _is_integral(exponent)
    if base < 0 and not integral:
        raise AnswerError("a negative number to a fractional power has no real value")
    if base == 0:
        if exponent < 0:
            raise AnswerError(_DIVISION_BY_ZERO)
        return Fraction(1) if exponent == 0 else Fraction(0)
    magnitude = _to_float(exponent) * _log10_abs(base)
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
    return float_base ** float(exponent)


# --------------------------------------------------------------------------
# Parser
# --------------------------------------------------------------------------


def _is_matrix(item) -> bool:
    return isinstance(item, list) and any(isinstance(x, list) for x in item)


def _check_rectangular(rows: list[list]) -> None:
    width = len(rows[0])
    for row in rows[1:]:
        if len(row) != width:
            raise AnswerError(f"rows have different lengths ({width} and {len(row)})")


def _assemble(rows: list[list]) -> list:
    """Turn rows of items (numbers or vectors) into a vector or a matrix."""
    if len(rows) == 1:
        items = rows[0]
        if all(not isinstance(x, list) for x in items):
            return list(items)
        if all(isinstance(x, list) for x in items):
            if any(_is_matrix(x) for x in items):
                raise AnswerError(_TOO_DEEP)
            _check_rectangular(items)
            return [list(x) for x in items]
        raise AnswerError(_MIXED)
    matrix = []
    for row in rows:
        if all(not isinstance(x, list) for x in row):
            matrix.append(list(row))
        elif any(_is_matrix(x) for x in row):
            raise AnswerError(_TOO_DEEP)
        elif len(row) == 1:
            matrix.append(list(row[0]))
        else:
            raise AnswerError(_MIXED)
    _check_rectangular(matrix)
    return matrix


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0
        # Whether whitespace separates elements in the current bracket.
        self.split_on_space = True

    # -- token helpers ---------------------------------------------------

    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def advance(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def previous(self) -> _Token | None:
        return self.tokens[self.pos - 1] if self.pos > 0 else None

    # -- structure --------------------------------------------------------

    def parse(self) -> object:
        rows = self.sequence(opener=None)
        if not rows:
            raise AnswerError(_EMPTY)
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        return _assemble(rows)

    def sequence(self, opener: str | None) -> list[list]:
        """Read items up to the closer of ``opener`` (or the end) as rows of items."""
        closer = _CLOSER_OF.get(opener) if opener else None
        in_parens = opener == _LP
        rows: list[list] = []
        row: list = []
        want_item = True  # at the start, after a comma or after a row break
        after_comma = False
        while True:
            token = self.peek()
            kind = token.kind
            if kind == _EOF:
                if closer is not None:
                    raise AnswerError(
                        f"'{_TEXT_OF[opener]}' is never closed; add '{_TEXT_OF[closer]}'"
                    )
                break
            if kind in (_RP, _RB):
                if kind != closer:
                    if closer is None:
                        raise AnswerError(
                            f"'{token.text}' has no matching opening bracket; {_EXAMPLE}"
                        )
                    raise AnswerError(
                        f"'{token.text}' does not match '{_TEXT_OF[opener]}'; "
                        f"close it with '{_TEXT_OF[closer]}'"
                    )
                self.advance()
                break
            if kind == _COMMA:
                if want_item:
                    if after_comma:
                        raise AnswerError("two commas in a row; put a number between them")
                    raise AnswerError(f"a comma needs a number before it; {_EXAMPLE}")
                self.advance()
                want_item, after_comma = True, True
                continue
            if kind in (_SEMI, _NL):
                if in_parens:
                    raise AnswerError(
                        "rows cannot be split inside ( ); type a matrix as [2 0; 0 2]"
                    )
                self.advance()
                if kind == _NL and after_comma:
                    continue  # a line break after a comma continues the row
                if row:
                    rows.append(row)
                    row = []
                want_item, after_comma = True, False
                continue
            if not want_item and not (
                self.split_on_space and token.space_before and self.starts_item(token)
            ):
                if in_parens:
                    raise AnswerError(
                        f"missing operator before {_show(token.text)}; "
                        f"inside ( ) write 2*3 to multiply or (2, 3) for a list"
                    )
                raise AnswerError(
                    f"missing operator before {_show(token.text)}; "
                    f"write 2*3 to multiply or 2, 3 for a list"
                )
            row.append(self.expression())
            want_item, after_comma = False, False
        if row:
            rows.append(row)
        return rows

    @staticmethod
    def starts_item(token: _Token) -> bool:
        return token.kind in (_NUM, _LP, _LB) or (token.kind == _OP and token.op in "+-")

    def group(self) -> object:
        opener = self.advance()
        self.depth += 1
        if self.depth > _MAX_NESTING:
            raise AnswerError("too many nested brackets; type the value you computed")
        saved = self.split_on_space
        self.split_on_space = opener.kind == _LB
        rows = self.sequence(opener.kind)
        self.split_on_space = saved
        self.depth -= 1
        if not rows:
            raise AnswerError(
                f"nothing between '{opener.text}' and '{_TEXT_OF[_CLOSER_OF[opener.kind]]}'; "
                f"{_EXAMPLE}"
            )
        if opener.kind == _LP and len(rows[0]) == 1:
            return rows[0][0]
        return _assemble(rows)

    # -- arithmetic -------------------------------------------------------

    def expression(self):
        left = self.term()
        while True:
            token = self.peek()
            if token.kind != _OP or token.op not in ("+", "-"):
                return left
            if self.split_on_space and token.space_before and not self.peek(1).space_before:
                return left  # "2 -2": the sign of the next element
            self.advance()
            left = _binary(token.op, left, self.term())

    def term(self):
        left = self.unary()
        while True:
            token = self.peek()
            if token.kind != _OP or token.op not in ("*", "/"):
                return left
            self.advance()
            left = _binary(token.op, left, self.unary())

    def signs(self) -> bool:
        """Consume leading signs; return True when they make a negation."""
        negative = False
        while self.peek().kind == _OP and self.peek().op in ("+", "-"):
            if self.advance().op == "-":
                negative = not negative
        return negative

    def unary(self):
        negative = self.signs()
        value = self.power()
        if negative:
            if isinstance(value, list):
                raise AnswerError(_LIST_IN_ARITHMETIC)
            value = -value
        return value

    def power(self):
        # a ** -b ** c is a ** (-(b ** c)); read the chain, then fold from the right.
        operands = [self.postfix()]
        negations = [False]
        while self.peek().kind == _OP and self.peek().op == "**":
            self.advance()
            negations.append(self.signs())
            operands.append(self.postfix())
        result = operands[-1]
        for index in range(len(operands) - 1, 0, -1):
            if negations[index]:
                if isinstance(result, list):
                    raise AnswerError(_LIST_IN_ARITHMETIC)
                result = -result
            result = _binary("**", operands[index - 1], result)
        return result

    def postfix(self):
        value = self.primary()
        while self.peek().kind == _PCT:
            self.advance()
            value = _binary("/", value, Fraction(100))
        return value

    def primary(self):
        token = self.peek()
        if token.kind == _NUM:
            self.advance()
            return token.value
        if token.kind in (_LP, _LB):
            return self.group()
        before = self.previous()
        if before is not None and before.kind == _OP:
            raise AnswerError(f"expected a number after {_show(before.text)}; {_EXAMPLE}")
        if token.kind in (_OP, _PCT):
            raise AnswerError(f"{_show(token.text)} needs a number before it; {_EXAMPLE}")
        raise AnswerError(f"unexpected {_show(token.text)}; {_EXAMPLE}")  # pragma: no cover


def _finish(value) -> Value:
    if isinstance(value, list):
        return [_finish(x) for x in value]
    result = _to_float(value)
    return 0.0 if result == 0 else result


def parse_answer(text: str) -> Value:
    """Read a typed answer as a float, a list of floats or a list of rows.

    See the module docstring for the accepted notation and for how commas,
    semicolons, line breaks and whitespace separate elements.  Raises
    :class:`AnswerError` with a one-line hint when the text cannot be read.
    """
    if not isinstance(text, str):
        raise AnswerError(f"the answer must be text; {_EXAMPLE}")
    if len(text) > MAX_ANSWER_LENGTH:
        raise AnswerError(
            f"that answer is too long ({len(text):,} characters); "
            f"type at most {MAX_ANSWER_LENGTH:,}"
        )
    if not text.strip():
        raise AnswerError(_EMPTY)
    try:
        tokens = _tokenize(text)
        return _finish(_Parser(tokens).parse())
    except (RecursionError, ArithmeticError):  # pragma: no cover - guarded above
        raise AnswerError(f"that answer could not be read; {_EXAMPLE}") from None


# --------------------------------------------------------------------------
# Checking and formatting
# --------------------------------------------------------------------------


def _plain(value):
    """Unwrap array-likes (anything with ``tolist``) and tuples into lists."""
    if hasattr(value, "tolist") and not isinstance(value, (int, float)):
        try:
            value = value.tolist()
        except Exception:  # noqa: BLE001 - an odd object is reported below
            return value
    if isinstance(value, tuple):
        value = list(value)
    return value


def _scalar(value) -> float | None:
    """The float of a plain number, or None when ``value`` is not one."""
    value = _plain(value)
    if isinstance(value, (list, str, bytes)) or value is None:
        return None
    if isinstance(value, complex):
        return None
    try:
        return float(value)
    except OverflowError:
        return math.copysign(math.inf, value) if isinstance(value, int) else None
    except (TypeError, ValueError):
        return None


def _shape_and_values(value, what: str) -> tuple[tuple[int, ...], list[float]]:
    """Shape ((), (n,) or (rows, columns)) and the flat element list of a value."""
    bad = AnswerError(f"{what} is not a number or a list of numbers")
    number = _scalar(value)
    if number is not None:
        return (), [number]
    value = _plain(value)
    if not isinstance(value, list) or not value:
        raise bad
    rows = [_plain(x) for x in value]
    if all(isinstance(x, list) for x in rows):
        if any(not row for row in rows):
            raise bad
        _check_rectangular(rows)
        flat = [_scalar(x) for row in rows for x in row]
        if any(x is None for x in flat):
            raise bad
        return (len(rows), len(rows[0])), flat
    flat = [_scalar(x) for x in rows]
    if any(x is None for x in flat):
        raise bad
    return (len(flat),), flat


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


def check_answer(given: Value, expected, *, rtol: float = 1e-6, atol: float = 1e-9) -> Verdict:
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


def _format_number(value) -> str:
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


def format_value(value) -> str:
    """Short text for a number, vector or matrix: ``2``, ``0.9999``, ``[[2, 0], [0, 2]]``.

    Numbers keep up to 10 significant digits without trailing zeros, and
    ``parse_answer`` reads the text back.
    """
    value = _plain(value)
    if isinstance(value, list):
        return "[" + ", ".join(format_value(x) for x in value) + "]"
    return _format_number(value)
