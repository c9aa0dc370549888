"""Read the numeric answers a learner types in the terminal.

``parse_answer`` turns text into a :data:`~drill.answers.Value`; ``drill.answers``
checks that value against the card's expected answer and prints values back in
the same notation.  Nothing here evaluates Python code: the text goes
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
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeGuard

from drill.answer_arithmetic import Number, binary, tame, to_float
from drill.answers import AnswerError, Value, check_rectangular

__all__ = ["MAX_ANSWER_LENGTH", "parse_answer"]

#: Longest text ``parse_answer`` reads, in characters.
MAX_ANSWER_LENGTH = 2000

# How deeply brackets may nest; keeps the recursive parser far from the
# interpreter's recursion limit.
_MAX_NESTING = 20
# A literal with a larger decimal exponent is read as a float directly.
_MAX_EXACT_LITERAL_EXPONENT = 400

_EXAMPLE = "type a number such as 2, 1/3 or [2, 0]"
_EMPTY = "the answer is empty; type a number such as 2 or [2, 0]"
_NOT_FINITE = "that is not a finite number; type the value you computed"
_LIST_IN_ARITHMETIC = (
    "a list cannot be part of a calculation; work out each element, as in [2*1, 0]"
)
_MIXED = "a list mixes numbers and lists; type [2, 0] for a vector or [[2, 0], [0, 2]] for a matrix"
_TOO_DEEP = "lists nest at most two deep; type a matrix as [[2, 0], [0, 2]]"


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
    value: Number | None = None  # for _NUM tokens


def _show(text: str) -> str:
    """Quote a piece of the learner's text for a one-line message."""
    if len(text) == 1 and not (text.isprintable() and not text.isspace()):
        return f"U+{ord(text):04X}"
    shown = "".join(ch if ch.isprintable() and not ch.isspace() else "?" for ch in text)
    if len(shown) > 20:
        shown = shown[:19] + "\u2026"
    return f"'{shown}'"


def _number_value(text: str) -> Number:
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
        return tame(Fraction(mantissa * 10**exponent))
    return tame(Fraction(mantissa, 10**-exponent))


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
# Parser
# --------------------------------------------------------------------------


# What a piece of the answer reads as before the final rounding: a number, or a bracket's
# vector or matrix.  ``_assemble`` builds every list, so a list never mixes numbers and lists
# and never nests deeper than a matrix.
_Item = Number | list[Number] | list[list[Number]]


def _is_matrix(item: _Item) -> bool:
    return isinstance(item, list) and any(isinstance(x, list) for x in item)


def _is_vector(item: _Item) -> TypeGuard[list[Number]]:
    return isinstance(item, list) and not _is_matrix(item)


def _all_numbers(items: Sequence[_Item]) -> TypeGuard[Sequence[Number]]:
    return all(not isinstance(x, list) for x in items)


def _all_vectors(items: Sequence[_Item]) -> TypeGuard[Sequence[list[Number]]]:
    return all(_is_vector(x) for x in items)


def _assemble(rows: list[list[_Item]]) -> list[Number] | list[list[Number]]:
    """Turn rows of items (numbers or vectors) into a vector or a matrix."""
    if len(rows) == 1:
        items = rows[0]
        if _all_numbers(items):
            return list(items)
        if _all_vectors(items):
            check_rectangular(items)
            return [list(x) for x in items]
        if all(isinstance(x, list) for x in items):  # a list among them is a matrix
            raise AnswerError(_TOO_DEEP)
        raise AnswerError(_MIXED)
    matrix: list[list[Number]] = []
    for row in rows:
        if _all_numbers(row):
            matrix.append(list(row))
        elif any(_is_matrix(x) for x in row):
            raise AnswerError(_TOO_DEEP)
        elif len(row) == 1 and _is_vector(row[0]):
            matrix.append(list(row[0]))
        else:
            raise AnswerError(_MIXED)
    check_rectangular(matrix)
    return matrix


def _calculate(op: str, a: _Item, b: _Item) -> Number:
    """``a op b`` for two numbers; a list in a calculation is refused."""
    if isinstance(a, list) or isinstance(b, list):
        raise AnswerError(_LIST_IN_ARITHMETIC)
    return binary(op, a, b)


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

    def parse(self) -> _Item:
        rows = self.sequence(opener=None)
        if not rows:
            raise AnswerError(_EMPTY)
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        return _assemble(rows)

    def sequence(self, opener: str | None) -> list[list[_Item]]:
        """Read items up to the closer of ``opener`` (or the end) as rows of items."""
        closer = _CLOSER_OF.get(opener) if opener else None
        in_parens = opener == _LP
        rows: list[list[_Item]] = []
        row: list[_Item] = []
        want_item = True  # at the start, after a comma or after a row break
        after_comma = False
        while True:
            token = self.peek()
            kind = token.kind
            if kind == _EOF:
                if opener is not None and closer is not None:
                    raise AnswerError(
                        f"'{_TEXT_OF[opener]}' is never closed; add '{_TEXT_OF[closer]}'"
                    )
                break
            if kind in (_RP, _RB):
                if kind != closer:
                    if opener is None or closer is None:
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

    def group(self) -> _Item:
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

    def expression(self) -> _Item:
        left = self.term()
        while True:
            token = self.peek()
            if token.kind != _OP or token.op not in ("+", "-"):
                return left
            if self.split_on_space and token.space_before and not self.peek(1).space_before:
                return left  # "2 -2": the sign of the next element
            self.advance()
            left = _calculate(token.op, left, self.term())

    def term(self) -> _Item:
        left = self.unary()
        while True:
            token = self.peek()
            if token.kind != _OP or token.op not in ("*", "/"):
                return left
            self.advance()
            left = _calculate(token.op, left, self.unary())

    def signs(self) -> bool:
        """Consume leading signs; return True when they make a negation."""
        negative = False
        while self.peek().kind == _OP and self.peek().op in ("+", "-"):
            if self.advance().op == "-":
                negative = not negative
        return negative

    def unary(self) -> _Item:
        negative = self.signs()
        value = self.power()
        if negative:
            if isinstance(value, list):
                raise AnswerError(_LIST_IN_ARITHMETIC)
            value = -value
        return value

    def power(self) -> _Item:
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
            result = _calculate("**", operands[index - 1], result)
        return result

    def postfix(self) -> _Item:
        value = self.primary()
        while self.peek().kind == _PCT:
            self.advance()
            value = _calculate("/", value, Fraction(100))
        return value

    def primary(self) -> _Item:
        token = self.peek()
        if token.kind == _NUM:
            self.advance()
            assert token.value is not None  # every number token carries its value
            return token.value
        if token.kind in (_LP, _LB):
            return self.group()
        before = self.previous()
        if before is not None and before.kind == _OP:
            raise AnswerError(f"expected a number after {_show(before.text)}; {_EXAMPLE}")
        if token.kind in (_OP, _PCT):
            raise AnswerError(f"{_show(token.text)} needs a number before it; {_EXAMPLE}")
        raise AnswerError(f"unexpected {_show(token.text)}; {_EXAMPLE}")  # pragma: no cover


def _float_of(number: Number) -> float:
    result = to_float(number)
    return 0.0 if result == 0 else result  # no -0.0


def _finish(value: _Item) -> Value:
    """The parsed value in plain floats, each exact number rounded once, here."""
    if not isinstance(value, list):
        return _float_of(value)
    numbers: list[float] = []
    rows: list[list[float]] = []
    for x in value:  # all numbers or all rows (see ``_Item``)
        if isinstance(x, list):
            rows.append([_float_of(y) for y in x])
        else:
            numbers.append(_float_of(x))
    return rows or numbers


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

