"""Concrete variants of items: a pure function of (item, seed).

Variant 0 is the self-check's own version. Numeric items draw every variant from their
generator; recall and code items keep their own text as variant 0 and may draw numeric
practice variants for seeds >= 1. An item without a generator has one version, whatever
the seed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drill.deckcode import call_with_time_limit, describe, error_line
from drill.errors import DeckError, DrillError
from drill.models import Item, Tolerance, Variant

if TYPE_CHECKING:
    from drill.answers import Verdict

MAX_SEED = 2**63 - 1
REQUIRED = ("prompt", "answer", "solution", "params")
OPTIONAL = ("answer_text", "tolerance")


def check_seed(seed: object) -> int:
    """Validate a variant seed (a whole number from 0 to 2**63 - 1) and return it."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise DrillError(f"a seed must be a whole number from 0 to {MAX_SEED}, got {seed!r}")
    return seed


def has_variants(item: Item) -> bool:
    """True when the item has generated variants beyond its own text."""
    return item.generator is not None


def make(item: Item, seed: int) -> Variant:
    """Variant `seed` of `item`."""
    check_seed(seed)
    if item.generator is not None and (item.kind == "numeric" or seed > 0):
        return _generated(item, item.generator, seed)
    if item.kind == "numeric":
        return Variant(
            item_id=item.id, seed=seed, mode="numeric", prompt=item.prompt, answer=item.value,
            answer_text=format_value(item.value), solution=item.explanation, params={},
            tolerance=item.tolerance,
        )
    return Variant(
        item_id=item.id, seed=seed, mode=item.kind, prompt=item.prompt, answer=item.answer,
        answer_text=item.answer, solution=item.explanation, params={}, tolerance=item.tolerance,
    )


def _generated(item: Item, generator: Callable[[int], object], seed: int) -> Variant:
    path = item.folder / "variants.py"
    try:
        raw = call_with_time_limit(generator, seed)
    except DeckError:
        raise
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - deck code may even call sys.exit()
        raise DeckError(
            f"{path}:{error_line(exc, path)}: generate({seed}) failed: {describe(exc)}"
        ) from None

    def where() -> str:
        # Read the file for the line of `def generate` only when there is a problem to report.
        return f"{path}:{_def_line(path)}: generate({seed})"

    if not isinstance(raw, dict):
        raise DeckError(f"{where()} returned {type(raw).__name__}, not a dict")
    missing = [key for key in REQUIRED if key not in raw]
    if missing:
        raise DeckError(f"{where()} returned no {', '.join(repr(k) for k in missing)}")
    unknown = sorted(set(raw) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise DeckError(f"{where()} returned unknown keys {', '.join(map(repr, unknown))}")
    for key in ("prompt", "solution"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise DeckError(f"{where()}: {key!r} must be non-empty text")
    answer = plain_value(raw["answer"])
    if answer is None:
        raise DeckError(f"{where()}: 'answer' must be a finite number, a list of them, or a list of lists")
    if not isinstance(raw["params"], dict):
        raise DeckError(f"{where()}: 'params' must be a dict")
    try:
        params = json.loads(json.dumps(raw["params"], allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise DeckError(f"{where()}: 'params' must be plain JSON data ({exc})") from None
    tolerance = item.tolerance
    if "tolerance" in raw:
        tol = raw["tolerance"]
        if not isinstance(tol, dict) or set(tol) - {"rtol", "atol"} or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v >= 0
            for v in tol.values()
        ):
            raise DeckError(f"{where()}: 'tolerance' must look like {{'rtol': 1e-6, 'atol': 1e-9}}")
        tolerance = Tolerance(
            rtol=float(tol.get("rtol", item.tolerance.rtol)),
            atol=float(tol.get("atol", item.tolerance.atol)),
        )
    answer_text = raw.get("answer_text")
    if answer_text is None:
        answer_text = format_value(answer)
    elif not isinstance(answer_text, str) or not answer_text.strip():
        raise DeckError(f"{where()}: 'answer_text' must be non-empty text")
    return Variant(
        item_id=item.id, seed=seed, mode="numeric", prompt=raw["prompt"], answer=answer,
        answer_text=answer_text, solution=raw["solution"], params=params, tolerance=tolerance,
    )


def plain_value(value: Any) -> Any:
    """A number, vector or rectangular matrix as plain floats (NumPy values allowed), or None."""
    if hasattr(value, "tolist"):
        value = value.tolist()

    def number(x: Any) -> float | None:
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            if hasattr(x, "item"):
                x = x.item()
            else:
                return None
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            return None
        try:
            x = float(x)
        except OverflowError:  # an int too big for a float
            return None
        return x if math.isfinite(x) else None

    if not isinstance(value, (list, tuple)):
        return number(value)
    if value and all(not isinstance(x, (list, tuple)) for x in value):
        numbers = [number(x) for x in value]
        return None if None in numbers else numbers
    if value and all(isinstance(row, (list, tuple)) and row for row in value):
        rows = [[number(x) for x in row] for row in value]
        if len({len(row) for row in rows}) != 1 or any(None in row for row in rows):
            return None
        return rows
    return None


def check_typed(variant: Variant, text: str) -> Verdict:
    """Judge a typed answer to a numeric variant; malformed text raises AnswerError."""
    from drill.answer_parse import parse_answer
    from drill.answers import check_answer

    given = parse_answer(text)
    return check_answer(
        given, variant.answer, rtol=variant.tolerance.rtol, atol=variant.tolerance.atol
    )


def format_value(value: Any) -> str:
    """A value as a learner would type it: 2, 0.9999, [2, 0], [[1, 0], [0, 1]]."""
    from drill.answers import format_value as fmt

    return fmt(value)


def fresh_seed(item: Item) -> int:
    """A random variant seed for practice (0 when the item has only its own version)."""
    if item.generator is None:
        return 0
    import secrets

    return 1 + secrets.randbelow(999_999)


def _def_line(path: Path) -> int:
    """The line of `def generate` in a generator file (1 when it cannot be found)."""
    try:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if line.startswith("def generate("):
                return number
    except (OSError, UnicodeDecodeError):
        pass
    return 1
