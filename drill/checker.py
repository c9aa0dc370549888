"""Check a learner's code answer against the item's NumPy reference, safely.

The code runs in a separate Python process (`drill/_worker.py`): isolated mode, a fresh
temporary folder, BLAS pinned to one thread, its own session so the whole group can be
killed, and on Linux limits on memory, CPU time, file size and core dumps. Inputs and
outputs cross as `.npy` files (allow_pickle=False); the child never sees the reference.

Fail closed: a case passes only when a well-formed result arrives and the comparison
accepts it. Every way the code can go wrong (an endless loop, a memory hog, an output
flood, sys.exit, os._exit, a crash) ends as a failed case with a message naming it.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drill.errors import DrillError
from drill.models import Item

CALL_TIMEOUT_S = 3.0  # wall clock for one call of the learner's function
TOTAL_TIMEOUT_S = 20.0  # wall clock for the whole submission, NumPy import included
CPU_LIMIT_S = 15  # CPU seconds for the whole submission
MEMORY_LIMIT = 2 * 1024**3  # address space; NumPy and OpenBLAS need a few hundred MB of it
FILE_LIMIT = 16 * 1024**2  # largest file (and captured output) the code may write
OUTPUT_SHOWN = 2000  # characters of the code's own output shown back
MAX_SOURCE = 1024**2
WORKER = Path(__file__).with_name("_worker.py")


@dataclass(frozen=True)
class CaseResult:
    name: str
    passed: bool
    message: str = ""  # why it failed, one line
    detail: str = ""  # the call, got and expected, for the first failure


@dataclass(frozen=True)
class Report:
    item_id: str
    seed: int
    cases: tuple[CaseResult, ...]
    hint: str | None = None
    output: str = ""
    output_truncated: bool = False

    @property
    def passed(self) -> bool:
        return bool(self.cases) and all(case.passed for case in self.cases)

    @property
    def first_failure(self) -> CaseResult | None:
        return next((case for case in self.cases if not case.passed), None)

    def as_json(self) -> dict:
        """The report for `drill check --json`."""
        return {
            "item": self.item_id,
            "passed": self.passed,
            "seed": self.seed,
            "cases": [
                {"name": c.name, "passed": c.passed, "message": c.message} for c in self.cases
            ],
            "hint": self.hint,
            "output": self.output,
            "output_truncated": self.output_truncated,
        }


class CheckError(DrillError):
    """An item that cannot be checked (not a code item, no cases)."""


def check_file(item: Item, path: Path, seed: int) -> Report:
    """Check the learner's file for a code item."""
    with Sandbox() as sandbox:
        return sandbox.check_file(item, path, seed)


def check_source(item: Item, source: bytes | str, seed: int, name: str = "your file") -> Report:
    """Check the learner's source code for a code item, with cases drawn from `seed`."""
    with Sandbox() as sandbox:
        return sandbox.check_source(item, source, seed, name)


class Sandbox:
    """A worker process started ahead of time: it imports NumPy while drill gets ready.

    One sandbox checks one submission; closing it kills whatever the code left running.
    """

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="drill-check-")
        self.folder = Path(self._tmp.name)
        self.worker = _Worker.start(self.folder)

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Kill the worker and remove its folder."""
        self.worker.kill()
        self._tmp.cleanup()

    def check_file(self, item: Item, path: Path, seed: int) -> Report:
        """Check the learner's file for a code item."""
        path = Path(path)
        if not path.is_file():
            raise DrillError(f"{path} is not a regular file; save your answer as a .py file")
        try:
            with path.open("rb") as fh:
                data = fh.read(MAX_SOURCE + 1)  # a larger file is refused, not read whole
        except OSError as exc:
            raise DrillError(f"cannot read {path} ({exc.strerror}); check the path") from None
        return self.check_source(item, data, seed, name=Path(path).name)

    def check_source(self, item: Item, source: bytes | str, seed: int,
                     name: str = "your file") -> Report:
        """Check source code for a code item, with cases drawn from `seed`."""
        if item.kind != "code":
            raise CheckError(f"{item.id} is a {item.kind} item; only code items can be checked")
        data = source.encode("utf-8") if isinstance(source, str) else source
        problem = _unreadable(data)
        if problem:
            return Report(item.id, seed, (CaseResult("reading your code", False, problem),))
        folder = self.folder
        (folder / "submission.py").write_bytes(data.decode("utf-8-sig").encode("utf-8"))
        try:
            cases, expected = _prepare(item, seed, folder)
            results, stop = self.worker.run(cases)
        finally:
            self.worker.kill()
        output, truncated = self.worker.output()
        # Tracebacks and warnings name the temporary copy; name the learner's file instead.
        output = output.replace(str(folder / "submission.py"), name)
        judged = tuple(_judge(item, case, expected[i], results.get(i), stop, folder)
                       for i, case in enumerate(cases))
        hint = _hint(item, cases, expected, judged, results, folder)
        return Report(item.id, seed, judged, hint, output, truncated)


# -- the submission ------------------------------------------------------------------------


def _unreadable(data: bytes) -> str | None:
    if len(data) > MAX_SOURCE:
        return f"the file is {len(data) // 1024} KiB; a code answer should be a small .py file"
    if b"\x00" in data:
        return "the file is not Python source (it contains binary data); save your answer as a .py text file"
    try:
        text = data.decode("utf-8-sig")  # editors on Windows may start the file with a BOM
    except UnicodeDecodeError:
        return "the file is not UTF-8 text; save your answer as a UTF-8 .py file"
    if not text.strip():
        return "the file is empty; write your functions in it and check again"
    try:
        compile(text, "your file", "exec")  # compiling runs nothing
    except SyntaxError as exc:
        where = f"line {exc.lineno}: " if exc.lineno else ""
        return f"Python cannot read your code: {where}{exc.msg}; fix it and check again"
    except ValueError as exc:
        return f"Python cannot read your code: {exc}"
    return None


# -- cases and the reference ---------------------------------------------------------------


@dataclass
class _Case:
    index: int
    name: str
    call: str
    args: list
    kwargs: dict
    rng_seeds: list
    judge: Any = None
    rtol: float = 1e-6
    atol: float = 1e-9


def _load(item: Item, name: str):
    from drill.loader import load_module

    path = item.folder / name
    if not path.is_file():
        raise CheckError(f"{item.id} has no {name}, so drill cannot check answers to it")
    return load_module(path, f"{item.deck}.{item.id}.{path.stem}")


def _prepare(item: Item, seed: int, folder: Path):
    """Draw the cases, write their inputs, and compute the reference's answers."""
    # Small arrays need no BLAS threads, and starting them competes with the worker's start.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    import numpy as np

    from drill.loader import describe

    from drill.loader import call_with_time_limit

    try:
        raw = list(call_with_time_limit(_load(item, "cases.py").cases, seed))
    except DrillError:
        raise
    except (Exception, SystemExit) as exc:  # deck code may even call sys.exit()
        raise CheckError(f"{item.folder / 'cases.py'}: cases({seed}) failed: {describe(exc)}") from None
    if not raw:
        raise CheckError(f"{item.folder / 'cases.py'}: cases({seed}) returned no cases; "
                         "an item needs at least one to be checked")
    reference = _load(item, "reference.py")
    cases = []
    for index, spec in enumerate(raw):
        try:
            cases.append(_Case(
                index=index, name=str(spec["name"]), call=str(spec["call"]),
                args=list(spec["args"]), kwargs=dict(spec.get("kwargs", {})),
                rng_seeds=[int(s) for s in spec.get("rng_seeds", [])],
                judge=spec.get("judge"),
                rtol=float(spec.get("rtol", item.tolerance.rtol)),
                atol=float(spec.get("atol", item.tolerance.atol)),
            ))
        except (KeyError, TypeError, ValueError) as exc:
            raise CheckError(
                f"{item.folder / 'cases.py'}: case {index + 1} is malformed ({describe(exc)}); "
                "see the deck format in decks/README.md"
            ) from None
    try:
        plan = {"cases": [_plan_entry(np, case, folder) for case in cases]}
        (folder / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    except (TypeError, ValueError) as exc:
        raise CheckError(f"{item.folder / 'cases.py'}: a case has an argument drill cannot pass "
                         f"on ({describe(exc)}); use NumPy arrays, numbers, booleans or lists") from None
    expected = []
    for case in cases:
        outs = []
        for rng_seed in case.rng_seeds or [None]:
            if case.judge is not None:
                outs.append(None)
                continue
            try:
                args = [a.copy() if isinstance(a, np.ndarray) else a for a in case.args]
                outs.append(call_with_time_limit(_run_with, np, reference, case, args, rng_seed))
            except (Exception, SystemExit) as exc:
                raise CheckError(
                    f"the reference for {item.id} fails its case {case.name!r}: {describe(exc)}"
                ) from None
        expected.append(outs)
    return cases, expected


def _plan_entry(np, case: _Case, folder: Path) -> dict:
    def spec(value, name: str) -> dict:
        if isinstance(value, np.ndarray):
            np.save(folder / name, value, allow_pickle=False)
            return {"npy": name}
        if isinstance(value, list):
            return {"value": value}
        if isinstance(value, np.generic):
            return {"value": value.item()}
        return {"value": value}

    return {
        "index": case.index,
        "call": case.call,
        "args": [spec(a, f"case_{case.index}_arg{i}.npy") for i, a in enumerate(case.args)],
        "kwargs": {k: spec(v, f"case_{case.index}_kw_{k}.npy") for k, v in case.kwargs.items()},
        "rng_seeds": case.rng_seeds,
    }


# -- the worker process --------------------------------------------------------------------


class _Worker:
    def __init__(self, proc: subprocess.Popen, pipe: int, folder: Path):
        self.proc = proc
        self.pipe = pipe
        self.folder = folder
        self.buffer = b""
        self.started = time.monotonic()
        self.ready = False

    @classmethod
    def start(cls, folder: Path) -> "_Worker":
        read_end, write_end = os.pipe()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(folder),
            "LANG": os.environ.get("LANG", "C.UTF-8"),
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "NUMEXPR_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        # Some processors need these for OpenBLAS to compute correctly; pass them on.
        for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
            if name in os.environ:
                env[name] = os.environ[name]
        out = open(folder / "output.txt", "wb")
        try:
            proc = subprocess.Popen(
                [sys.executable, "-I", str(WORKER), str(folder), str(write_end)],
                stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT, cwd=folder, env=env,
                pass_fds=(write_end,), start_new_session=True, preexec_fn=_limits,
            )
        except OSError as exc:
            raise DrillError(f"could not start Python to run your code ({exc})") from None
        finally:
            out.close()
            os.close(write_end)
        return cls(proc, read_end, folder)

    def run(self, cases: list[_Case]) -> tuple[dict[int, dict], dict]:
        """Send the go, collect per-case results; `stop` says why and where it ended early."""
        results: dict[int, dict] = {}
        stop: dict = {}
        if not self._wait_for("ready", TOTAL_TIMEOUT_S):
            stop = self._why_stopped(None, "before your code was imported")
            return results, stop
        try:
            self.proc.stdin.write(b"go\n")
            self.proc.stdin.close()
        except OSError:
            pass
        self.started = time.monotonic()  # the time budget counts from here
        current = None
        calls_of = {case.index: max(1, len(case.rng_seeds)) for case in cases}
        deadline = None
        while True:
            total_left = TOTAL_TIMEOUT_S - (time.monotonic() - self.started)
            wait = total_left if deadline is None else min(total_left, deadline - time.monotonic())
            event = self._next_event(max(0.0, wait))
            if event is None:
                if self._eof:
                    stop = self._why_stopped(current, None)
                elif total_left <= 0 and (deadline is None or deadline > time.monotonic()):
                    self.kill()
                    stop = {"case": current, "message":
                            f"your code took longer than {TOTAL_TIMEOUT_S:g} s in all and was stopped"}
                else:
                    self.kill()
                    limit = CALL_TIMEOUT_S * calls_of.get(current, 1)
                    stop = {"case": current, "message":
                            f"your code did not finish within {limit:g} s and was stopped: "
                            "an endless loop?"}
                return results, stop
            if event.get("event") == "import_error":
                line = f" (line {event['line']})" if event.get("line") else ""
                stop = {"case": None, "import": True,
                        "message": f"importing your code failed{line}: {event.get('error')}"}
                return results, stop
            if event.get("event") == "start":
                current = event.get("case")
                deadline = time.monotonic() + CALL_TIMEOUT_S * calls_of.get(current, 1)
            elif event.get("event") == "done":
                results[event.get("case")] = event
                current, deadline = None, None
                if len(results) == len(cases):
                    return results, stop

    _eof = False

    def _wait_for(self, name: str, timeout: float) -> bool:
        event = self._next_event(timeout)
        return event is not None and event.get("event") == name

    def _next_event(self, timeout: float) -> dict | None:
        end = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = end - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.pipe], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.pipe, 65536)
            if not chunk:
                self._eof = True
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            event = json.loads(line)
        except ValueError:
            return {}
        return event if isinstance(event, dict) else {}

    def _why_stopped(self, case, when) -> dict:
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.wait()
        where = f" {when}" if when else ""
        if code < 0:
            signum = -code
            reasons = {
                signal.SIGXCPU: f"used more than {CPU_LIMIT_S} s of CPU time and was stopped",
                signal.SIGXFSZ: f"wrote more than {FILE_LIMIT // 1024**2} MB (output or files) and was stopped",
                signal.SIGSEGV: "crashed Python (segmentation fault)",
                signal.SIGKILL: "was killed (out of memory or time)",
                signal.SIGABRT: "crashed Python (aborted)",
            }
            what = reasons.get(signum, f"was ended by signal {signal.Signals(signum).name}")
            return {"case": case, "message": f"your code {what}{where}"}
        if code == 0:
            return {"case": case, "message": f"your code ended the process{where}: "
                                             "does it call os._exit() or exit()?"}
        return {"case": case, "message": f"your code ended the process with exit code {code}{where}"}

    def kill(self) -> None:
        """Kill the worker's whole process group (it may have started others)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None
        if self.proc.stdin and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except OSError:
                pass

    def output(self) -> tuple[str, bool]:
        """What the code printed, capped."""
        try:
            with open(self.folder / "output.txt", "rb") as fh:
                data = fh.read(OUTPUT_SHOWN * 4 + 1)
        except OSError:
            return "", False
        text = data.decode("utf-8", errors="replace")
        truncated = len(text) > OUTPUT_SHOWN or len(data) > OUTPUT_SHOWN * 4
        return text[:OUTPUT_SHOWN], truncated


def _limits() -> None:  # runs in the child between fork and exec
    import resource

    for name, value in (
        ("RLIMIT_AS", MEMORY_LIMIT),
        ("RLIMIT_CPU", CPU_LIMIT_S),
        ("RLIMIT_FSIZE", FILE_LIMIT),
        ("RLIMIT_CORE", 0),
    ):
        limit = getattr(resource, name, None)
        if limit is None:
            continue
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):
            pass


# -- judging -------------------------------------------------------------------------------


def _judge(item: Item, case: _Case, expected: list, result: dict | None, stop: dict,
           folder: Path) -> CaseResult:
    if result is None:
        if stop.get("import") or stop.get("case") == case.index:
            return CaseResult(case.name, False, stop["message"])
        if stop.get("case") is None and stop:
            return CaseResult(case.name, False, stop["message"])
        return CaseResult(case.name, False, "not run: your code was stopped at an earlier case")
    calls = result.get("calls")
    if not isinstance(calls, list) or len(calls) != max(1, len(case.rng_seeds)):
        return CaseResult(case.name, False, "no well-formed result arrived for this case")
    for k, call in enumerate(calls):
        message, detail = _compare_call(case, call, expected[k], folder)
        if message:
            if case.rng_seeds:
                message += f" (after np.random.seed({case.rng_seeds[k]}))"
            return CaseResult(case.name, False, message, detail)
    return CaseResult(case.name, True)


def _compare_call(case: _Case, call: dict, expected, folder: Path) -> tuple[str, str]:
    import numpy as np

    signature = _signature(case)
    if not isinstance(call, dict):
        return "no well-formed result arrived for this case", signature
    if "error" in call:
        if call.get("missing"):
            return call["error"], ""
        line = f" at line {call['line']}" if call.get("line") else ""
        kind = call.get("kind")
        if kind == "TooBig":
            return f"{case.call}() returned a result too big to check (over {FILE_LIMIT // 1024**2} MB)", signature
        if kind == "SystemExit":
            return f"your code called sys.exit(){line}; return a value instead", signature
        if kind == "MemoryError":
            return f"your code ran out of memory{line} (the limit is {MEMORY_LIMIT // 1024**3} GiB)", signature
        if kind == "RecursionError":
            return f"your code recursed without end{line}", signature
        if kind == "OSError" and "File too large" in call["error"]:
            return (f"your code wrote more than {FILE_LIMIT // 1024**2} MB (printed output or files) "
                    f"and was stopped{line}"), signature
        if kind == "NotImplementedError":
            return f"{case.call}() is not written yet (it raises NotImplementedError)", signature
        return f"{case.call}() raised {call['error']}{line}", signature
    got = None
    if "npy" in call:
        try:
            got = np.load(folder / call["npy"], allow_pickle=False)
        except (OSError, ValueError):
            return "no well-formed result arrived for this case", signature
    type_name = call.get("type", "?")
    if case.judge is not None:
        value = got if got is not None else call.get("repr")
        if got is not None and type_name != "numpy.ndarray" and got.ndim == 0:
            value = got.item()
        try:
            verdict = case.judge(value, case.args, case.kwargs)
        except Exception as exc:  # a judge must not crash the check; fail closed
            from drill.loader import describe

            return f"the check itself failed on your result ({describe(exc)})", signature
        if verdict:
            return str(verdict), signature
        return _modified(call), signature
    message = _compare(np, case, type_name, got, call.get("repr"), expected)
    if message:
        return message, signature + _got_expected(np, got, expected)
    return _modified(call), signature


def _modified(call: dict) -> str:
    changed = call.get("modified") or []
    if changed:
        return (f"your code changed its input in place ({', '.join(changed)}); "
                "work on a copy, e.g. z = z.copy() or np.maximum(z, 0)")
    return ""


def _compare(np, case: _Case, type_name: str, got, got_repr, expected) -> str:
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
    else:
        if got.ndim != 0 or got.dtype.kind not in "fiu":
            return f"{case.call}() returned a {_plain_type(type_name)} of shape {got.shape}, expected a single number"
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
            "numpy.float64": "NumPy float", "numpy.ndarray": "NumPy array"}.get(name, name)


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


def _signature(case: _Case) -> str:
    parts = [_abbrev(a) for a in case.args] + [f"{k}={_abbrev(v)}" for k, v in case.kwargs.items()]
    return f"{case.call}({', '.join(parts)})"


def _got_expected(np, got, expected) -> str:
    if got is None:
        return ""
    return f"\n  got:      {_abbrev(got)}\n  expected: {_abbrev(np.asarray(expected))}"


def _abbrev(value, limit: int = 48) -> str:
    import numpy as np

    if isinstance(value, np.ndarray):
        with np.printoptions(precision=4, suppress=True, threshold=8, edgeitems=2, linewidth=10_000):
            text = " ".join(np.array2string(value, separator=", ").split())
        if len(text) > limit:
            text = text[: limit - 1] + "…"
        return f"{text} (shape {value.shape})" if value.ndim > 1 or value.size > 6 else text
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- hints from known wrong versions ---------------------------------------------------------


def _hint(item: Item, cases: list[_Case], expected: list, judged: tuple[CaseResult, ...],
          results: dict, folder: Path) -> str | None:
    """The hint of the first known wrong version that fails exactly where the submission fails.

    Where the submission produced a value at its first failing case, the wrong version must
    produce the same value there (or raise the same kind of error).
    """
    import numpy as np

    wrong_dir = item.folder / "wrong"
    failing = {i for i, c in enumerate(judged) if not c.passed}
    if not wrong_dir.is_dir() or not failing:
        return None
    for path in sorted(wrong_dir.glob("*.py")):
        try:
            module = _load(item, f"wrong/{path.name}")
        except DrillError:
            continue
        hint = getattr(module, "HINT", None)
        if not isinstance(hint, str):
            continue
        outcome = [_passes_in_process(np, module, case, expected[case.index]) for case in cases]
        if {i for i, (ok, _) in enumerate(outcome) if not ok} != failing:
            continue
        if all(_same_outcome(np, _first_call(results, i), outcome[i][1], folder) for i in failing):
            return hint
    return None


def _first_call(results: dict, index: int) -> dict:
    calls = (results.get(index) or {}).get("calls") or [{}]
    return calls[0] if isinstance(calls[0], dict) else {}


def _passes_in_process(np, module, case: _Case, expected: list) -> tuple[bool, tuple]:
    """Judge trusted deck code on one case; also return its first call's outcome."""
    first = None
    ok = True
    for k, rng_seed in enumerate(case.rng_seeds or [None]):
        args = [a.copy() if isinstance(a, np.ndarray) else a for a in case.args]
        kept = [a.copy() if isinstance(a, np.ndarray) else None for a in args]
        try:
            got = _run_with(np, module, case, args, rng_seed)
        except Exception as exc:
            first = first or ("error", _error_text(exc))
            ok = False
            continue
        first = first or ("value", got)
        if any(c is not None and not np.array_equal(c, a, equal_nan=True) for c, a in zip(kept, args)):
            ok = False
        elif case.judge is not None:
            try:
                ok = ok and not case.judge(got, case.args, case.kwargs)
            except Exception:
                ok = False
        else:
            array = np.asarray(got) if isinstance(got, (np.ndarray, np.generic, int, float, bool)) else None
            ok = ok and not _compare(np, case, _type_name(got), array, None, expected[k])
    return ok, first


def _run_with(np, module, case: _Case, args: list, rng_seed):
    import warnings

    kwargs = {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in case.kwargs.items()}
    if rng_seed is not None:
        np.random.seed(rng_seed)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return getattr(module, case.call)(*args, **kwargs)


def _same_outcome(np, call: dict, outcome: tuple | None, folder: Path) -> bool:
    if outcome is None:
        return False
    kind, value = outcome
    if "error" in call:
        return kind == "error" and call.get("error") == value
    if kind == "error":
        return False
    if "npy" not in call:
        # No array came back (None, a list...): the same kind of value must come back.
        return call.get("type") == _type_name(value)
    try:
        got = np.asarray(np.load(folder / call["npy"], allow_pickle=False), dtype=float)
        mine = np.asarray(value, dtype=float)
    except (TypeError, ValueError, OSError):
        return False
    return got.shape == mine.shape and bool(np.allclose(got, mine, equal_nan=True))


def _error_text(exc: BaseException) -> str:
    """An exception as the worker reports it, so the two can be compared."""
    text = " ".join(str(exc).split())[:300]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _type_name(value) -> str:
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
