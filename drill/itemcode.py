"""An item's cases, drawn from its deck code, and the deck modules the checker uses.

A code item's folder holds `cases.py` (`cases(seed)` gives the checks) and `reference.py`
(the functions that compute the right answers). Both are deck code, trusted as a deck is,
and run in drill's own process under the loader's time limit.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from drill.errors import DrillError
from drill.judge import Case
from drill.models import Item


class CheckError(DrillError):
    """An item that cannot be checked (not a code item, no cases)."""


def load_deck_module(item: Item, name: str) -> ModuleType:
    """One of the item's Python files (deck code), imported."""
    from drill.loader import load_module

    path = item.folder / name
    if not path.is_file():
        raise CheckError(f"{item.id} has no {name}, so drill cannot check answers to it")
    module: ModuleType = load_module(path, f"{item.deck}.{item.id}.{path.stem}")
    return module


def draw(item: Item, seed: int) -> tuple[list[Case], ModuleType]:
    """The item's cases for `seed`, and its reference module (CheckError when either is broken)."""
    import inspect

    from drill.deckcode import call_with_time_limit, describe

    try:
        raw = list(call_with_time_limit(load_deck_module(item, "cases.py").cases, seed))
    except DrillError:
        raise
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - deck code may even call sys.exit()
        raise CheckError(f"{item.folder / 'cases.py'}: cases({seed}) failed: {describe(exc)}") from None
    if not raw:
        raise CheckError(f"{item.folder / 'cases.py'}: cases({seed}) returned no cases; "
                         "an item needs at least one to be checked")
    reference = load_deck_module(item, "reference.py")
    cases = []
    for index, spec in enumerate(raw):
        try:
            case = make_case(index, spec, item)
            function = getattr(reference, case.call, None)
            if callable(function):
                try:
                    case.params = tuple(inspect.signature(function).parameters)
                except (TypeError, ValueError):
                    pass
            cases.append(case)
        except (KeyError, TypeError, ValueError) as exc:
            raise CheckError(
                f"{item.folder / 'cases.py'}: case {index + 1} is malformed ({describe(exc)}); "
                "see the deck format in decks/README.md"
            ) from None
    return cases, reference


def make_case(index: int, spec: dict[str, Any], item: Item) -> Case:
    """A case from one entry of `cases(seed)` (KeyError, TypeError, ValueError if malformed)."""
    repeat = int(spec.get("repeat", 0))
    if repeat and spec.get("judge") is None and spec.get("judge_calls") is None:
        raise ValueError("a case with repeat needs a judge or judge_calls")
    return Case(
        index=index, name=str(spec["name"]), call=str(spec["call"]),
        args=list(spec["args"]), kwargs=dict(spec.get("kwargs", {})),
        rng_seeds=[int(s) for s in spec.get("rng_seeds", [])],
        judge=spec.get("judge"), judge_calls=spec.get("judge_calls"), repeat=repeat,
        rtol=float(spec.get("rtol", item.tolerance.rtol)),
        atol=float(spec.get("atol", item.tolerance.atol)),
    )
