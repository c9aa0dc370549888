"""Judge what a learner's function gave against the reference, in drill's own process.

The worker only leaves values behind (`drill.results` reads and validates them into `Call`s);
every verdict and every message is decided here. A case passes only when each of its calls
returned a value the comparison accepts and left its array arguments as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any, SupportsFloat

from drill.containment import FILE_LIMIT, MEMORY_LIMIT

if TYPE_CHECKING:
    import numpy
    from numpy.typing import NDArray

# A case's own judges, given (result or results, args, kwargs); a true verdict is the message.
JudgeOne = Callable[[Any, list[Any], dict[str, Any]], object]
JudgeAll = Callable[[list[Any], list[Any], dict[str, Any]], object]


@dataclass(frozen=True)
class CaseResult:
    name: str
    passed: bool
    message: str = ""  # why it failed, one line
    detail: str = ""  # the call, got and expected, for the first failure


@dataclass
class Case:
    """One case of an item's checks, as drawn from its `cases.py`."""

    index: int
    name: str
    call: str
    args: list[Any]
    kwargs: dict[str, Any]
    rng_seeds: list[int]
    judge: JudgeOne | None = None  # judges one call's result: message or None
    judge_calls: JudgeAll | None = None  # judges all calls' results together: message or None
    repeat: int = 0  # calls in a row without reseeding (the first after rng_seeds[0], if any)
    rtol: float = 1e-6
    atol: float = 1e-9
    params: tuple[str, ...] = ()  # the reference function's parameter names

    @property
    def calls(self) -> int:
        return max(1, len(self.rng_seeds), self.repeat)

    def arg_names(self) -> list[str]:
        """Names of the positional arguments (the reference's), then the keyword ones."""
        positional = [self.params[i] if i < len(self.params) else f"argument {i + 1}"
                      for i in range(len(self.args))]
        return positional + list(self.kwargs)

    def seed_of(self, k: int) -> int | None:
        if self.repeat:
            return self.rng_seeds[0] if k == 0 and self.rng_seeds else None
        return self.rng_seeds[k] if self.rng_seeds else None


@dataclass
class Call:
    """What one call of the learner's function left behind, as drill read it back."""

    value: Any = None  # the return value as a validated NumPy array, or None
    type_name: str = ""  # the type returned, as the worker saw it (feedback only)
    repr: str = ""  # a short repr of a value that is not a number or an array
    error: str = ""  # "ValueError: ..." when the call raised
    kind: str = ""  # the exception's class name
    line: int | None = None
    missing: bool = False  # the function is not defined
    params: tuple[str, ...] = ()  # the learner's parameter names, as the worker saw them (feedback only)
    after: dict[str, Any] = field(default_factory=dict)  # argument name -> array after the call, or None
    unreadable: str = ""  # why a result file was refused


def judge_case(case: Case, expected: Sequence[Any], calls: Sequence[Call | None] | None,
               stop: dict[str, Any]) -> CaseResult:
    """The verdict on one case, from the calls read back (None: the case never ran)."""
    if calls is None:
        if stop.get("import") or stop.get("case") == case.index or (stop and stop.get("case") is None):
            return CaseResult(case.name, False, stop.get("message", "your code was stopped"))
        if stop:
            return CaseResult(case.name, False, "not run: your code was stopped at an earlier case")
        return CaseResult(case.name, False, "no well-formed result arrived for this case")
    done = [c for c in calls if c is not None]
    if len(calls) != case.calls or len(done) != len(calls):
        message = stop.get("message") if stop.get("case") == case.index else None
        return CaseResult(case.name, False, message or "no well-formed result arrived for this case")
    for k, call in enumerate(done):
        message, detail = judge_call(case, call, expected[k] if k < len(expected) else None)
        if message:
            seed = case.seed_of(k)
            if seed is not None and case.calls > 1:
                message += f" (after np.random.seed({seed}))"
            elif case.repeat:
                message += f" (call {k + 1} of {case.calls} in a row)"
            return CaseResult(case.name, False, message, detail)
    if case.judge_calls is not None:
        try:
            verdict = case.judge_calls([c.value for c in done], case.args, case.kwargs)
        except Exception as exc:  # noqa: BLE001 - a judge must not crash the check; fail closed
            from drill.deckcode import describe

            return CaseResult(case.name, False, f"the check itself failed on your results ({describe(exc)})")
        if verdict:
            return CaseResult(case.name, False, str(verdict), signature(case))
    return CaseResult(case.name, True)


def judge_call(case: Case, call: Call, expected: Any) -> tuple[str, str]:
    """(message, detail) for one call; an empty message means it is right."""
    import numpy as np

    sig = signature(case)
    if call.missing:
        return f"your code does not define {case.call}()", ""
    order = parameter_order(case, call)
    if call.error:
        message = _error_message(case, call)
        if order and call.kind not in _NOT_FROM_ORDER and message.startswith(f"{case.call}() raised"):
            return order, f"{sig}\n  {message}"
        return message, sig
    if call.unreadable:
        return f"{case.call}() left a result drill cannot read ({call.unreadable})", sig
    if case.judge is not None:
        value = call.value
        if value is not None and call.type_name != "numpy.ndarray" and value.ndim == 0:
            value = value.item()
        if value is None and call.type_name and call.type_name != "NoneType":
            value = call.repr or call.type_name
        try:
            verdict = case.judge(value, case.args, case.kwargs)
        except Exception as exc:  # noqa: BLE001 - a judge must not crash the check; fail closed
            from drill.deckcode import describe

            return f"the check itself failed on your result ({describe(exc)})", sig
        if verdict:
            if order:
                return order, f"{sig}\n  {verdict}"
            return str(verdict), sig
        return modified(case, call), sig
    message = compare(np, case, call.type_name, call.value, expected)
    if message:
        if order:
            return order, f"{sig}\n  {message}" + _got_expected(np, call.value, expected)
        return message, sig + _got_expected(np, call.value, expected)
    return modified(case, call), sig


# Errors that say something other than "these arguments did not fit": the order cannot explain them.
_NOT_FROM_ORDER = {"TooBig", "Unsaved", "SystemExit", "MemoryError", "RecursionError",
                   "NotImplementedError"}


# -- the learner's parameter order ------------------------------------------------------------

# Names that plainly stand for a reference parameter, written lower-case without underscores.
# A name is matched to the reference's own names first, so "y" is y_true only where the
# reference has no parameter called y.
_SYNONYMS = {
    "ypred": ("pred", "preds", "prediction", "predictions", "predicted", "yhat", "output",
              "outputs", "out", "yp"),
    "ytrue": ("y", "true", "target", "targets", "truth", "ytarget", "yt", "label", "labels"),
    "dout": ("grad", "gradient", "upstream", "dy", "da", "gradout", "doutput", "dupstream", "g"),
    "z": ("x", "pre", "preact", "preactivation", "input", "inputs"),
    "delta2": ("d2", "dz2", "delta", "deltaout", "dout", "err", "error", "delta2out"),
    "y": ("label", "labels", "target", "targets"),
    "nclasses": ("numclasses", "nclass", "numclass", "ncls", "k", "depth", "classes"),
    "p": ("rate", "droprate", "pdrop", "dropprob", "prob", "dropprobability"),
    "x": ("a", "h", "input", "inputs", "activations"),
    "training": ("train", "istraining", "trainmode"),
}


def _plain(name: str) -> str:
    return name.lower().replace("_", "")


def _meaning(name: str, params: tuple[str, ...]) -> str | None:
    """The reference parameter a learner's parameter name plainly stands for, if exactly one."""
    if name in params:
        return name
    tests: tuple[Callable[[str], bool], ...] = (
        lambda p: _plain(p) == _plain(name),
        lambda p: _plain(name) in _SYNONYMS.get(_plain(p), ()),
    )
    for same in tests:
        hits = [p for p in params if same(p)]
        if len(hits) == 1:
            return hits[0]
        if hits:
            return None
    return None


def _meant(case: Case, params: tuple[str, ...]) -> list[str] | None:
    """What the learner's first parameters stand for, when the names say it and it is not the design's order."""
    n = len(case.args)
    ours = tuple(case.params)
    if n < 2 or len(ours) < n or len(params) < n:
        return None
    meant = [m for m in (_meaning(name, ours) for name in params[:n]) if m is not None]
    if len(meant) < n or len(set(meant)) < n or meant == list(ours[:n]):  # one not recognised, ...
        return None
    return meant


def learner_order(case: Case, params: tuple[str, ...]) -> list[int] | None:
    """How the learner's parameters reorder the reference's positional ones, or None.

    None when the order is the reference's, or when the names do not say (other names, not
    all of them recognised, or a keyword parameter moved into a positional place). Otherwise
    `order[j]` is the position in the call that the learner's code treats as the reference's
    parameter j: the reference called with `[args[i] for i in order]` does what a body that is
    right under the learner's names does.
    """
    meant = _meant(case, params)
    ours = tuple(case.params)[: len(case.args)]
    if meant is None or set(meant) != set(ours):
        return None
    return [meant.index(name) for name in ours]


def parameter_order(case: Case, call: Call) -> str:
    """The message when the learner's parameters come in another order than the design's, else ''."""
    meant = _meant(case, call.params)
    if meant is None:
        return ""
    ours, theirs = tuple(case.params), tuple(call.params)
    crossed = [(mine, ours[i]) for i, mine in enumerate(theirs[: len(meant)]) if meant[i] != ours[i]]
    gets = " and ".join(f"`{mine}` receives {what}" for mine, what in crossed[:3])
    if len(crossed) == 2 and learner_order(case, theirs) is not None:
        advice = f"swap `{crossed[0][0]}` and `{crossed[1][0]}` in your def line"
    else:
        advice = f"put your parameters in the order ({', '.join(ours)})"
    return (f"your {case.call} takes ({', '.join(theirs)}), but drill calls "
            f"{case.call}({', '.join(ours)}) as the design says, so your {gets}: {advice}")


def _error_message(case: Case, call: Call) -> str:
    line = f" at line {call.line}" if call.line else ""
    kind = call.kind
    if kind == "TooBig":
        return f"{case.call}() returned a result too big to check (over {FILE_LIMIT // 1024**2} MB)"
    if kind == "Unsaved":
        return f"{case.call}() returned a result that could not be saved for checking"
    if kind == "SystemExit":
        return f"your code called sys.exit(){line}; return a value instead"
    if kind == "MemoryError":
        return f"your code ran out of memory{line} (the limit is {MEMORY_LIMIT // 1024**3} GiB)"
    if kind == "RecursionError":
        return f"your code recursed without end{line}"
    if kind == "OSError" and "File too large" in call.error:
        return (f"your code wrote more than {FILE_LIMIT // 1024**2} MB (printed output or files) "
                f"and was stopped{line}")
    if kind == "NotImplementedError":
        return f"{case.call}() is not written yet (it raises NotImplementedError)"
    return f"{case.call}() raised {call.error}{line}"


def modified(case: Case, call: Call) -> str:
    """The message when the call changed an array argument in place, else ''."""
    import numpy as np

    changed: list[str] = []
    for name, before in zip(case.arg_names(), [*case.args, *case.kwargs.values()]):
        if not isinstance(before, np.ndarray):
            continue
        after = call.after.get(name)
        if after is None or after.shape != before.shape or not np.array_equal(
                after, before, equal_nan=before.dtype.kind in "fc"):
            changed.append(name)
    if not changed:
        return ""
    names = " and ".join(f"`{n}`" for n in changed)
    first = changed[0]
    return (f"{case.call}() changed {names} in place; leave the caller's array as it was and "
            f"build a new one (for example start from {first}.copy())")


def compare(np: ModuleType, case: Case, type_name: str, got: NDArray[Any] | None, expected: Any) -> str:
    """Why `got` is not the expected value ('' when it is), saying what the values show."""
    expect_array = isinstance(expected, np.ndarray)
    if got is None:
        if type_name == "NoneType":
            return f"{case.call}() returned None: did you forget `return`?"
        return (f"{case.call}() returned a {_plain_type(type_name)}, "
                f"expected {'a NumPy array' if expect_array else 'a number'}")
    if expect_array:
        if type_name != "numpy.ndarray":
            return f"{case.call}() returned a {_plain_type(type_name)}, expected a NumPy array"
        if got.shape != expected.shape:
            return _shape_message(np, case, got, expected)
        if got.dtype.kind != expected.dtype.kind and not (
            got.dtype.kind in "fiub" and expected.dtype.kind in "fiub" and _kind_ok(got, expected)
        ):
            return _dtype_message(case, got.dtype, expected.dtype)
        if got.dtype.kind == "f" and expected.dtype.kind == "f" and got.dtype.itemsize < expected.dtype.itemsize:
            return (f"{case.call}() returned a {got.dtype} array, expected {expected.dtype}: "
                    f"{got.dtype} keeps too few digits; compute in float64, NumPy's default")
    else:
        if got.ndim != 0 or got.dtype.kind not in "fiu":
            return f"{case.call}() returned a {_plain_type(type_name)} of shape {got.shape}, expected a single number"
        if got.dtype.kind == "f" and got.dtype.itemsize < 8:
            return (f"{case.call}() returned a {got.dtype} number, expected a float64: "
                    f"{got.dtype} keeps too few digits; compute in float64, NumPy's default")
    got_f = np.asarray(got, dtype=float) if got.dtype.kind in "fiub" else got
    want_f = np.asarray(expected, dtype=float)
    bad = ~np.isfinite(got_f) & np.isfinite(want_f)
    if np.any(bad):
        index = _index(np, bad)
        value = got_f[index] if got_f.ndim else got_f
        why = ("nan comes from inf - inf, inf / inf or 0 / 0: did a value overflow, or a sum "
               "underflow to 0?" if np.isnan(value) else "did a value overflow?")
        return f"{case.call}() returned {value}{_at(index)} where the answer is finite: {why}"
    close = np.isclose(got_f, want_f, rtol=case.rtol, atol=case.atol, equal_nan=True)
    if not np.all(close):
        return _value_message(np, case, got, got_f, want_f, close)
    return ""


def _dtype_message(case: Case, got: numpy.dtype[Any], want: numpy.dtype[Any]) -> str:
    """A result of the wrong dtype, named as such."""
    advice = ""
    if want.kind == "f" and got.kind == "b":
        advice = ": a comparison gives True/False; turn it into numbers with .astype(float)"
    elif want.kind == "f" and got.kind in "iu":
        advice = ": build the result as floats (or convert it with .astype(float))"
    article = "an" if str(got)[:1] in "aeio" else "a"  # an int64, a uint8, a bool, a float32
    return f"{case.call}() returned {article} {got} array, expected {want}{advice}"


def _shape_message(np: ModuleType, case: Case, got: NDArray[Any], expected: NDArray[Any]) -> str:
    message = f"{case.call}() returned shape {got.shape}, expected {expected.shape}"
    numeric = got.dtype.kind in "fiub"
    if got.ndim == 2 and got.shape == expected.shape[::-1]:
        if numeric and np.allclose(np.asarray(got, dtype=float).T, expected, rtol=case.rtol,
                                   atol=case.atol, equal_nan=True):
            return message + ": it is the transpose of the answer (rows and columns swapped)"
        return message + ": rows and columns are swapped (transposed)"
    if numeric and got.size == expected.size and got.size > 1 and np.allclose(
            np.asarray(got, dtype=float).ravel(), np.ravel(expected), rtol=case.rtol,
            atol=case.atol, equal_nan=True):
        return message + ": the right values, arranged in the wrong shape"
    return message


def _value_message(np: ModuleType, case: Case, got: NDArray[Any], got_f: NDArray[Any], want_f: NDArray[Any],
                   close: NDArray[numpy.bool_]) -> str:
    """Values that differ from the answer, with what the difference shows when it shows something."""
    index = _index(np, ~close)
    g = got_f[index] if got_f.ndim else got_f
    w = want_f[index] if want_f.ndim else want_f
    plain = f"{case.call}() gave {_num(g)}{_at(index)}, expected {_num(w)}"
    if got.dtype.kind in "iu" and got_f.ndim == 0 and float(w) != round(float(w)):
        return (f"{case.call}() returned an integer, {_num(g)}, expected {_num(w)}: int() or // "
                "drops the fraction; compute in floats")
    if got_f.ndim == 0:
        return plain
    arrays = [(name, np.asarray(a, dtype=float)) for name, a in _named(case)
              if isinstance(a, np.ndarray) and a.shape == got_f.shape and a.dtype.kind in "fiub"]
    for name, a in arrays:
        if np.array_equal(got_f, a, equal_nan=True):
            return f"{case.call}() returned `{name}` unchanged: it gave {_num(g)}{_at(index)}, expected {_num(w)}"
    for name, a in arrays:
        if np.array_equal(want_f, a, equal_nan=True):
            message = (f"{case.call}() must return `{name}` unchanged here, but gave "
                       f"{_num(g)}{_at(index)} where `{name}` is {_num(w)}")
            factor = _factor(np, case, got_f, want_f, f"`{name}`")
            return message + (f"; {factor}" if factor else "")
    factor = _factor(np, case, got_f, want_f, "the expected one")
    if factor:
        return f"{plain}: {factor}"
    region = _region(np, arrays, ~close)
    if region:
        return f"{plain}; every wrong value is where {region}"
    return plain


def _named(case: Case) -> list[tuple[str, Any]]:
    return list(zip(case.arg_names(), [*case.args, *case.kwargs.values()]))


def _factor(np: ModuleType, case: Case, got: NDArray[Any], want: NDArray[Any], of: str) -> str:
    """'every value is r times ...' when the result is the answer times one constant, else ''."""
    with np.errstate(all="ignore"):
        usable = np.isfinite(want) & np.isfinite(got) & (np.abs(want) > 1e-300)
        if int(usable.sum()) < 2:
            return ""
        r = float(np.median(got[usable] / want[usable]))
        if not np.isfinite(r) or np.isclose(r, 1.0, rtol=1e-9, atol=0.0):
            return ""
        if not np.allclose(got, r * want, rtol=1e-6, atol=case.atol):
            return ""
    if r == 0 or np.isclose(r, 0.0, rtol=0.0, atol=1e-12):
        return "every value is 0"
    if np.isclose(r, -1.0, rtol=1e-6, atol=0.0):
        return f"every value has the sign opposite to {of}"
    return f"every value is {_num(round(r, 9))} times {of}{_explain(np, case, r)}"


def _explain(np: ModuleType, case: Case, r: float) -> str:
    """Where a factor plainly comes from: an argument such as p, or a count of an array's entries."""
    found: list[tuple[float, str]] = []
    for name, v in _named(case):
        if isinstance(v, (int, float)) and not isinstance(v, bool) and v not in (0, 1):
            found += [(v, name), (1 - v, f"1 - {name}"), (1 / v, f"1 / {name}"),
                      (1 / (1 - v), f"1 / (1 - {name})")]
    if not any(np.isclose(r, v, rtol=1e-6, atol=0.0) for v, _ in found) and not (
            np.isclose(abs(r), 2.0) or np.isclose(abs(r), 0.5)):
        for name, a in _named(case):
            if isinstance(a, np.ndarray) and a.ndim >= 1 and a.size > 1:
                if a.ndim > 1 and 1 < len(a) < a.size:
                    found += [(a.size / len(a), f"{name}.size / len({name})"),
                              (len(a) / a.size, f"len({name}) / {name}.size")]
                found += [(a.size, f"{name}.size"), (1 / a.size, f"1 / {name}.size")]
                break  # the first array is the one the counts are about
    texts = [text for v, text in found if np.isclose(r, v, rtol=1e-6, atol=0.0)]
    if len(texts) != 1:
        return ""  # nothing, or more than one plain reading: say only the number
    return f" ({_num(round(r, 9))} = {texts[0]})"


def _region(np: ModuleType, arrays: list[tuple[str, NDArray[Any]]], wrong: NDArray[numpy.bool_]) -> str:
    """'`z` is exactly 0' (or < 0, > 0) when every wrong value lies where an argument is so."""
    count = int(wrong.sum())
    if count < 2:
        return ""
    for name, a in arrays:
        for text, where in (("is exactly 0", a == 0), ("< 0", a < 0), ("> 0", a > 0)):
            size = int(where.sum())
            if size < a.size and not np.any(wrong & ~where) and 2 * count >= size:
                return f"`{name}` {text}"
    return ""


def _kind_ok(got: NDArray[Any], expected: NDArray[Any]) -> bool:
    # Floats are expected: integers or booleans are not the same answer (one_hot must be float).
    return expected.dtype.kind != "f" or got.dtype.kind == "f"


def _plain_type(name: str) -> str:
    return {"list": "Python list", "tuple": "tuple", "float": "Python float", "int": "Python int",
            "numpy.float64": "NumPy float", "numpy.ndarray": "NumPy array"}.get(name, name or "value")


def _index(np: ModuleType, mask: NDArray[numpy.bool_]) -> tuple[int, ...]:
    if mask.ndim == 0:
        return ()
    return tuple(int(i) for i in np.argwhere(mask)[0])


def _at(index: tuple[int, ...]) -> str:
    if not index:
        return ""
    return f" at [{', '.join(map(str, index))}]"


def _num(value: SupportsFloat) -> str:
    number = float(value)
    return "0" if number == 0 else f"{number:.10g}"  # no "-0" for a negative zero


def signature(case: Case) -> str:
    """The call as the learner would write it, arrays abbreviated."""
    parts = [abbrev(a) for a in case.args] + [f"{k}={abbrev(v)}" for k, v in case.kwargs.items()]
    return f"{case.call}({', '.join(parts)})"


def _got_expected(np: ModuleType, got: NDArray[Any] | None, expected: Any) -> str:
    if got is None:
        return ""
    return f"\n  got:      {abbrev(got)}\n  expected: {abbrev(np.asarray(expected))}"


def abbrev(value: object, limit: int = 48) -> str:
    """A value in at most about `limit` characters."""
    import numpy as np

    if isinstance(value, np.ndarray):
        with np.printoptions(precision=4, suppress=True, threshold=8, edgeitems=2, linewidth=10_000):
            text = " ".join(np.array2string(value, separator=", ").split())
        if len(text) > limit:
            text = text[: limit - 1] + "…"
        return f"{text} (shape {value.shape})" if value.ndim > 1 or value.size > 6 else text
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
