"""Small helpers for deck authors' Python (variant generators): `from drill.deckkit import ...`."""

from __future__ import annotations

import operator
from decimal import Decimal
from typing import SupportsIndex, cast


def check_seed(seed: object) -> int:
    """The seed as an int; a bool, a non-integer or a negative number raises ValueError."""
    if isinstance(seed, bool):
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    try:
        # Any object may come here: operator.index decides, and a TypeError says it is no integer.
        number = operator.index(cast(SupportsIndex, seed))
    except TypeError:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}") from None
    if number < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {number}")
    return number


def decimal_text(value: Decimal | int | str) -> str:
    """An exact decimal as plain text: no exponent, no trailing zeros."""
    d = Decimal(value)
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def factor_text(value: Decimal | int | str) -> str:
    """A number written as a factor in a product: negative numbers get brackets."""
    text = decimal_text(value)
    return f"({text})" if text.startswith("-") else text
