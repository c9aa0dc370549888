"""Hints from an item's known wrong versions (its `wrong/*.py`), given only when they fit.

A wrong version's hint is shown when that version fails exactly the cases the submission
fails and, at each of them, gives what the submission gave (the same values, or the same
kind of error). Wrong versions are deck code, run here in drill's process.
"""

from __future__ import annotations

from drill.errors import DrillError
from drill.judge import Call, Case, CaseResult, compare
from drill.models import Item


def hint(item: Item, cases: list[Case], expected: list, judged: tuple[CaseResult, ...],
         calls: dict[int, list]) -> str | None:
    """The hint of the first known wrong version that made the submission's mistake, if any."""
    import numpy as np

    from drill.checker import load_deck_module

    wrong_dir = item.folder / "wrong"
    failing = {i for i, c in enumerate(judged) if not c.passed}
    if not wrong_dir.is_dir() or not failing:
        return None
    for path in sorted(wrong_dir.glob("*.py")):
        try:
            module = load_deck_module(item, f"wrong/{path.name}")
        except DrillError:
            continue
        text = getattr(module, "HINT", None)
        if not isinstance(text, str):
            continue
        outcome = [passes_in_process(np, module, case, expected[case.index]) for case in cases]
        if {i for i, (ok, _) in enumerate(outcome) if not ok} != failing:
            continue
        if all(_same_outcome(np, _first_call(calls, i), outcome[i][1]) for i in failing):
            return text
    return None


def _first_call(calls: dict[int, list], index: int) -> Call | None:
    found = calls.get(index) or [None]
    return found[0]


def passes_in_process(np, module, case: Case, expected: list) -> tuple[bool, tuple | None]:
    """Judge trusted deck code on one case; also return its first call's outcome."""
    first = None
    ok = True
    values = []
    for k in range(case.calls):
        args = [a.copy() if isinstance(a, np.ndarray) else a for a in case.args]
        kept = [a.copy() if isinstance(a, np.ndarray) else None for a in args]
        try:
            got = run_with(np, module, case, args, case.seed_of(k))
        except Exception as exc:
            first = first or ("error", error_text(exc))
            ok = False
            continue
        first = first or ("value", got)
        values.append(got)
        if any(c is not None and not np.array_equal(c, a, equal_nan=True) for c, a in zip(kept, args)):
            ok = False
        elif case.judge is not None:
            try:
                ok = ok and not case.judge(got, case.args, case.kwargs)
            except Exception:
                ok = False
        else:
            array = np.asarray(got) if isinstance(got, (np.ndarray, np.generic, int, float, bool)) else None
            ok = ok and not compare(np, case, type_name(got), array, expected[k])
    if ok and case.judge_calls is not None:
        try:
            ok = not case.judge_calls(values, case.args, case.kwargs)
        except Exception:
            ok = False
    return ok, first


def run_with(np, module, case: Case, args: list, rng_seed):
    """Call `module`'s function for `case` (trusted code), seeding NumPy's global generator first."""
    import warnings

    kwargs = {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in case.kwargs.items()}
    if rng_seed is not None:
        np.random.seed(rng_seed)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return getattr(module, case.call)(*args, **kwargs)


def _same_outcome(np, call: Call | None, outcome: tuple | None) -> bool:
    if outcome is None or call is None:
        return False
    kind, value = outcome
    if call.error:
        return kind == "error" and call.error == value
    if kind == "error":
        return False
    if call.value is None:
        # No array came back (None, a list...): the same kind of value must come back.
        return call.type_name == type_name(value)
    try:
        got = np.asarray(call.value, dtype=float)
        mine = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == mine.shape and bool(np.allclose(got, mine, equal_nan=True))


def error_text(exc: BaseException) -> str:
    """An exception as the worker reports it, so the two can be compared."""
    text = " ".join(str(exc).split())[:300]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def type_name(value) -> str:
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"

