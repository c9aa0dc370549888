"""Judge what a learner's function gave against the reference, in drill's own process.

The worker only leaves values behind (`checker` reads and validates them into `Call`s);
every verdict and every message is decided here. A case passes only when each of its calls
returned a value the comparison accepts and left its array arguments as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drill.containment import FILE_LIMIT, MEMORY_LIMIT


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
    args: list
    kwargs: dict
    rng_seeds: list
    judge: Any = None  # judges one call's result: message or None
    judge_calls: Any = None  # judges all calls' results together: message or None
    repeat: int = 0  # calls in a row without reseeding (the first after rng_seeds[0], if any)
    rtol: float = 1e-6
    atol: float = 1e-9
    params: tuple = ()  # the reference function's parameter names

    @property
    def calls(self) -> int:
        return max(1, len(self.rng_seeds), self.repeat)

    def arg_names(self) -> list[str]:
        """Names of the positional arguments (the reference's), then the keyword ones."""
        positional = [self.params[i] if i < len(self.params) else f"argument {i + 1}"
                      for i in range(len(self.args))]
        return positional + list(self.kwargs)

    def seed_of(self, k: int):
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
    params: tuple = ()  # the learner's parameter names, as the worker saw them (feedback only)
    after: dict = field(default_factory=dict)  # argument name -> array after the call, or None
    unreadable: str = ""  # why a result file was refused


def judge_case(case: Case, expected: list, calls: list | None, stop: dict) -> CaseResult:
    """The verdict on one case, from the calls read back (None: the case never ran)."""
    if calls is None:
        if stop.get("import") or stop.get("case") == case.index or (stop and stop.get("case") is None):
            return CaseResult(case.name, False, stop.get("message", "your code was stopped"))
        if stop:
            return CaseResult(case.name, False, "not run: your code was stopped at an earlier case")
        return CaseResult(case.name, False, "no well-formed result arrived for this case")
    if len(calls) != case.calls or any(c is None for c in calls):
        message = stop.get("message") if stop.get("case") == case.index else None
        return CaseResult(case.name, False, message or "no well-formed result arrived for this case")
    for k, call in enumerate(calls):
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
            verdict = case.judge_calls([c.value for c in calls], case.args, case.kwargs)
        except Exception as exc:  # a judge must not crash the check; fail closed
            from drill.loader import describe

            return CaseResult(case.name, False, f"the check itself failed on your results ({describe(exc)})")
        if verdict:
            return CaseResult(case.name, False, str(verdict), signature(case))
    return CaseResult(case.name, True)


def judge_call(case: Case, call: Call, expected) -> tuple[str, str]:
    """(message, detail) for one call; an empty message means it is right."""
    import numpy as np

    sig = signature(case)
    if call.missing:
        return f"your code does not define {case.call}()", ""
    if call.error:
        return _error_message(case, call), sig
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
        except Exception as exc:  # a judge must not crash the check; fail closed
            from drill.loader import describe

            return f"the check itself failed on your result ({describe(exc)})", sig
        if verdict:
            return str(verdict), sig
        return modified(case, call), sig
    message = compare(np, case, call.type_name, call.value, expected)
    if message:
        return message, sig + _got_expected(np, call.value, expected)
    return modified(case, call), sig


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

    changed = []
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


def compare(np, case: Case, type_name: str, got, expected) -> str:
    """Why `got` is not the expected value ('' when it is)."""
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
            return f"{case.call}() returned shape {got.shape}, expected {expected.shape}"
        if got.dtype.kind != expected.dtype.kind and not (
            got.dtype.kind in "fiub" and expected.dtype.kind in "fiub" and _kind_ok(got, expected)
        ):
            return (f"{case.call}() returned {_kind_name(got.dtype)} ({got.dtype}), "
                    f"expected {_kind_name(expected.dtype)} ({expected.dtype})")
        if got.dtype.kind == "f" and expected.dtype.kind == "f" and got.dtype.itemsize < expected.dtype.itemsize:
            return (f"{case.call}() returned {got.dtype} values, expected {expected.dtype}: "
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
        return f"{case.call}() returned {value}{_at(index)} where the answer is finite: did a value overflow?"
    close = np.isclose(got_f, want_f, rtol=case.rtol, atol=case.atol, equal_nan=True)
    if not np.all(close):
        index = _index(np, ~close)
        g = got_f[index] if got_f.ndim else got_f
        w = want_f[index] if want_f.ndim else want_f
        return f"{case.call}() gave {_num(g)}{_at(index)}, expected {_num(w)}"
    return ""


def _kind_ok(got, expected) -> bool:
    # Floats are expected: integers or booleans are not the same answer (one_hot must be float).
    return expected.dtype.kind != "f" or got.dtype.kind == "f"


def _kind_name(dtype) -> str:
    return {"f": "floats", "i": "integers", "u": "unsigned integers", "b": "booleans"}.get(
        dtype.kind, str(dtype))


def _plain_type(name: str) -> str:
    return {"list": "Python list", "tuple": "tuple", "float": "Python float", "int": "Python int",
            "numpy.float64": "NumPy float", "numpy.ndarray": "NumPy array"}.get(name, name or "value")


def _index(np, mask):
    if mask.ndim == 0:
        return ()
    return tuple(int(i) for i in np.argwhere(mask)[0])


def _at(index: tuple) -> str:
    if not index:
        return ""
    return f" at [{', '.join(map(str, index))}]"


def _num(value) -> str:
    number = float(value)
    return "0" if number == 0 else f"{number:.10g}"  # no "-0" for a negative zero


def signature(case: Case) -> str:
    """The call as the learner would write it, arrays abbreviated."""
    parts = [abbrev(a) for a in case.args] + [f"{k}={abbrev(v)}" for k, v in case.kwargs.items()]
    return f"{case.call}({', '.join(parts)})"


def _got_expected(np, got, expected) -> str:
    if got is None:
        return ""
    return f"\n  got:      {abbrev(got)}\n  expected: {abbrev(np.asarray(expected))}"


def abbrev(value, limit: int = 48) -> str:
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
