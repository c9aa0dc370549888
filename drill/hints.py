"""Hints from an item's known wrong versions (its `wrong/*.py`), given only when they fit.

A wrong version stands for a mistake in the functions it gets wrong. Its hint is shown when,
on every case of those functions, the submission did what the wrong version does: it passes
the same cases, and where it fails it fails with the same verdict, returning the same values
of the same type and dtype (or raising an error of the same class; at least one failing case
must agree exactly) and changing the same arguments. The
functions the wrong version gets right do not matter, so a mistake in mse is recognised
whatever the submission's mse_grad does. Among the versions that fit, the one explaining the
most of the submission's functions wins, then the first by name; it must explain the
function of the first failure, the one whose message the learner reads.

When the learner's parameters come in another order than the design's (judge.learner_order),
the wrong versions run with the arguments in the learner's order, so that a further mistake
shows through; when the reference itself, run so, gives what the submission gave, the order
is the whole mistake and the failure's message already says it: no hint.

Wrong versions and the reference are deck code, run here in drill's process.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

from drill._worker import describe as error_text
from drill._worker import short_repr, type_name
from drill.errors import DrillError
from drill.judge import (
    Call,
    Case,
    CaseResult,
    compare,
    judge_call,
    judge_case,
    learner_order,
    modified,
)
from drill.models import Item

if TYPE_CHECKING:  # NumPy comes in as an argument, `np`, imported only when a hint is sought
    import numpy

Calls = Sequence[Call | None]  # one case's calls as read back; None: one never came back


@dataclass
class _Outcome:
    passed: bool
    message: str  # the verdict, with numbers, lines and seeds left out
    calls: Calls | None


def hint(item: Item, cases: list[Case], expected: Sequence[list[Any]], judged: tuple[CaseResult, ...],
         calls: Mapping[int, Calls | None]) -> str | None:
    """The hint of the known wrong version that made the submission's mistake, if any."""
    import numpy as np

    from drill.itemcode import load_deck_module

    failing = [i for i, c in enumerate(judged) if not c.passed]
    if not failing:
        return None
    first = cases[failing[0]].call
    mine = {case.index: _Outcome(judged[i].passed, _plain(judged[i].message), calls.get(case.index))
            for i, case in enumerate(cases)}
    orders: dict[str, list[int] | None] = {}
    params: dict[str, tuple[str, ...]] = {}
    for case in cases:
        if case.call not in orders:
            seen = _first_call(calls, case.index)
            params[case.call] = seen.params if seen is not None else ()
            orders[case.call] = learner_order(case, params[case.call])

    def fits(module: ModuleType, functions: Collection[str],
             as_designed: dict[int, _Outcome] | None = None) -> bool:
        """The submission does what `module` does on every case of these functions.

        Raising an exception of the same class counts as doing the same (the wording of, say,
        a shape error depends on how the product was written), but it is not enough alone:
        at least one failing case must agree on its values, or on an error's exact text.
        """
        evidence = False
        for case in cases:
            if case.call not in functions:
                continue
            order = orders[case.call]
            if order is None and as_designed is not None:
                theirs = as_designed[case.index]
            else:
                theirs = _outcome(np, module, case, expected[case.index], order, params[case.call])
            same = _same(np, case, mine[case.index], theirs)
            if not same:
                return False
            evidence = evidence or same == _EXACT
        return evidence

    if orders[first] is not None:
        try:
            reference = load_deck_module(item, "reference.py")
        except DrillError:
            return None
        if fits(reference, {first}):
            return None  # the parameter order explains it all, and the message says so
    wrong_dir = item.folder / "wrong"
    if not wrong_dir.is_dir():
        return None
    found: list[tuple[int, str, str]] = []
    for path in sorted(wrong_dir.glob("*.py")):
        try:
            module = load_deck_module(item, f"wrong/{path.name}")
        except DrillError:
            continue
        text = getattr(module, "HINT", None)
        if not isinstance(text, str):
            continue
        # What this version gives when called as the design calls it, and so where it is wrong.
        as_designed = {case.index: _outcome(np, module, case, expected[case.index], None,
                                            params[case.call]) for case in cases}
        wrong_in = {case.call for case in cases if not as_designed[case.index].passed}
        if first in wrong_in and fits(module, wrong_in, as_designed):
            found.append((-len(wrong_in), path.name, text))
    return min(found)[2] if found else None


def _first_call(calls: Mapping[int, Calls | None], index: int) -> Call | None:
    found = calls.get(index) or [None]
    return found[0]


def _outcome(np: ModuleType, module: ModuleType, case: Case, expected: list[Any], order: list[int] | None,
             params: tuple[str, ...]) -> _Outcome:
    """What `module`'s function gives on `case`, read as drill reads a submission's calls."""
    runs: list[Call] = []
    for k in range(case.calls):
        args = [a.copy() if isinstance(a, np.ndarray) else a for a in case.args]
        kwargs = {k_: v.copy() if isinstance(v, np.ndarray) else v for k_, v in case.kwargs.items()}
        positional = args if order is None else [args[i] for i in order]
        call = Call(params=tuple(params))
        try:
            got = _call_with(np, module, case.call, positional, kwargs, case.seed_of(k))
        except Exception as exc:  # noqa: BLE001 - learner or deck code may raise anything: a wrong answer, not a crash
            call.error, call.kind = error_text(exc), type(exc).__name__
        else:
            call.type_name = type_name(got)
            if isinstance(got, (np.ndarray, np.generic, int, float, bool)):
                value = np.asarray(got)
                if value.dtype.kind in "biuf":
                    call.value = value.copy()
                else:
                    call.type_name = "object array" if isinstance(got, np.ndarray) else call.type_name
            else:
                call.repr = short_repr(got)
        for name, value in zip(case.arg_names(), [*args, *kwargs.values()]):
            if isinstance(value, np.ndarray):
                call.after[name] = value
        runs.append(call)
    result = judge_case(case, expected, runs, {})
    return _Outcome(result.passed, _plain(result.message), runs)


def _call_with(np: ModuleType, module: ModuleType, name: str, args: list[Any], kwargs: dict[str, Any],
               rng_seed: int | None) -> Any:
    import warnings

    if rng_seed is not None:
        np.random.seed(rng_seed)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return getattr(module, name)(*args, **kwargs)


_NO, _KIND, _EXACT, _BOTH_PASS = 0, 1, 2, 3  # how far two outcomes agree (truthy: they do)


def _same(np: ModuleType, case: Case, mine: _Outcome, theirs: _Outcome) -> int:
    """Whether two outcomes of a case agree: the verdict, values, errors and changed arguments."""
    if mine.passed != theirs.passed:
        return _NO
    if mine.passed:
        return _BOTH_PASS
    if mine.calls is None or theirs.calls is None:
        return _NO
    if len(mine.calls) != len(theirs.calls) or any(c is None for c in [*mine.calls, *theirs.calls]):
        return _NO
    agreed = [_same_call(np, case, a, b) for a, b in zip(mine.calls, theirs.calls)
              if a is not None and b is not None]
    if not all(agreed):
        return _NO
    if all(level == _EXACT for level in agreed):
        return _EXACT if mine.message == theirs.message else _NO
    return _KIND  # errors of one class, worded differently: the verdicts differ only there


def _same_call(np: ModuleType, case: Case, a: Call, b: Call) -> int:
    if a.error or b.error:
        if a.error == b.error:
            return _EXACT
        return _KIND if a.error and b.error and a.kind == b.kind else _NO
    if a.unreadable or b.unreadable or a.missing or b.missing:
        return _NO
    if _type_class(a.type_name) != _type_class(b.type_name):
        return _NO
    if modified(case, a) != modified(case, b):
        return _NO
    if case.judge is not None:  # random results: the verdict on them is what must agree
        same = _plain(judge_call(case, a, None)[0]) == _plain(judge_call(case, b, None)[0])
        return _EXACT if same else _NO
    if a.value is None or b.value is None:
        same = a.value is None and b.value is None and a.type_name == b.type_name
        return _EXACT if same else _NO
    if _dtype_class(a.value.dtype) != _dtype_class(b.value.dtype) or a.value.shape != b.value.shape:
        return _NO
    same = np.allclose(np.asarray(a.value, dtype=float), np.asarray(b.value, dtype=float), equal_nan=True)
    return _EXACT if same else _NO


def _type_class(name: str) -> str:
    """ndarray, number (Python's or NumPy's) or the type's own name."""
    if name == "numpy.ndarray":
        return "array"
    if name in ("float", "int", "bool") or (name.startswith("numpy.") and name != "numpy.ndarray"):
        return "number"
    return name


def _dtype_class(dtype: numpy.dtype[Any]) -> tuple[str] | tuple[str, int]:
    # int32 and int64 are one mistake; float32 and float64 are not the same answer.
    return (dtype.kind, dtype.itemsize) if dtype.kind == "f" else (dtype.kind,)


_NUMBER = re.compile(r"-?\b\d+(?:\.\d+)?(?:e[-+]?\d+)?%?")
_WHEN = re.compile(r" \((?:after np\.random\.seed\(\d+\)|call \d+ of \d+ in a row)\)$")


def _plain(message: str) -> str:
    """A verdict without what differs between two runs of one mistake: lines, seeds, numbers."""
    message = re.sub(r" at line \d+", "", message)
    return _NUMBER.sub("#", _WHEN.sub("", message))


def passes_in_process(np: ModuleType, module: ModuleType, case: Case,
                      expected: list[Any]) -> tuple[bool, tuple[str, Any] | None]:
    """Judge trusted deck code on one case; also return its first call's outcome."""
    first: tuple[str, Any] | None = None
    ok = True
    values: list[Any] = []
    for k in range(case.calls):
        args = [a.copy() if isinstance(a, np.ndarray) else a for a in case.args]
        kept = [a.copy() if isinstance(a, np.ndarray) else None for a in args]
        try:
            got = run_with(np, module, case, args, case.seed_of(k))
        except Exception as exc:  # noqa: BLE001 - learner or deck code may raise anything: a wrong answer, not a crash
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
            except Exception:  # noqa: BLE001 - learner or deck code may raise anything: a wrong answer, not a crash
                ok = False
        else:
            array = np.asarray(got) if isinstance(got, (np.ndarray, np.generic, int, float, bool)) else None
            ok = ok and not compare(np, case, type_name(got), array, expected[k])
    if ok and case.judge_calls is not None:
        try:
            ok = not case.judge_calls(values, case.args, case.kwargs)
        except Exception:  # noqa: BLE001 - learner or deck code may raise anything: a wrong answer, not a crash
            ok = False
    return ok, first


def run_with(np: ModuleType, module: ModuleType, case: Case, args: list[Any], rng_seed: int | None) -> Any:
    """Call `module`'s function for `case` (trusted code), seeding NumPy's global generator first."""
    kwargs = {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in case.kwargs.items()}
    return _call_with(np, module, case.call, args, kwargs, rng_seed)

