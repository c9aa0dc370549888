"""Run a learner's code answer against an item's cases, contained, and read back what it gave.

The code runs in a separate Python process (`drill/_worker.py`) in a folder of its own,
contained as far as this machine allows (`drill/containment.py`). The worker decides
nothing: it leaves each call's return value and its array arguments as `.npy` files whose
names drill chose, and drill reads them as untrusted data (regular files only, size, dtype
and shape checked, never pickles) and judges them in its own process (`drill/judge.py`).
Nothing the code writes can claim a pass, name a file for drill to open, or make drill wait
beyond its time limits.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import stat
import subprocess
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from drill import containment
from drill.containment import CPU_LIMIT_S, FILE_LIMIT
from drill.errors import DrillError
from drill.judge import Call, Case, CaseResult, judge_case
from drill.models import Item

CALL_TIMEOUT_S = 3.0  # wall clock for one call of the learner's function
TOTAL_TIMEOUT_S = 20.0  # wall clock for the whole submission, NumPy import included
OUTPUT_SHOWN = 2000  # characters of the code's own output shown back
MAX_SOURCE = 1024**2
MAX_NOTE = 8192  # bytes of a call's feedback file read back
TAMPERED = 75  # the worker's exit status when the code wrote where results go (_worker.py)
UNCONFINED = 71  # ... and when it could not confine itself, before running any of the code

__all__ = ["CaseResult", "CheckError", "Report", "Sandbox", "check_file", "check_source"]


@dataclass(frozen=True)
class Report:
    item_id: str
    seed: int
    cases: tuple[CaseResult, ...]
    hint: str | None = None
    output: str = ""
    output_truncated: bool = False
    isolation: tuple[str, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return bool(self.cases) and all(case.passed for case in self.cases)

    @property
    def first_failure(self) -> CaseResult | None:
        return next((case for case in self.cases if not case.passed), None)

    @property
    def missing_protections(self) -> list[str]:
        return [name for name in containment.PROTECTIONS if name not in self.isolation]

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
            "isolation": list(self.isolation),
        }


class CheckError(DrillError):
    """An item that cannot be checked (not a code item, no cases)."""


def check_file(item: Item, path: Path, seed: int) -> Report:
    """Check the learner's file for a code item."""
    with Sandbox() as sandbox:
        return sandbox.check_file(item, path, seed)


def check_source(item: Item, source: bytes | str, seed: int, name: str = "your file",
                 server=None) -> Report:
    """Check the learner's source code for a code item, with cases drawn from `seed`.

    With `server` (a drill.warm.Server), the code runs in a child of that warm worker; if it
    fails before the code runs, or vanishes, the server is closed and the check runs cold.
    """
    if server is not None:
        try:
            with Sandbox(server) as sandbox:
                return sandbox.check_source(item, source, seed, name)
        except _WarmFailed:
            server.close()  # not trusted with the rest of the session
    with Sandbox() as sandbox:
        return sandbox.check_source(item, source, seed, name)


class _WarmFailed(Exception):
    """The warm worker's child never ran the code, or its server vanished: check again cold."""


class Sandbox:
    """A worker process started ahead of time: it imports NumPy while drill gets ready.

    One sandbox checks one submission; closing it kills whatever the code left running and
    removes its folder. With a warm worker's `server`, the worker is the child that server
    has ready, in its folder (or a cold one, if the server cannot give one).
    """

    def __init__(self, server=None) -> None:
        self.containment = containment.probe()
        self.server = None
        if server is not None:
            from drill.warm import Unavailable

            try:
                spare = server.take()
            except Unavailable:
                pass  # the server has closed itself: this check and the next start cold
            else:
                self.server, self.folder = server, spare.folder
                self.worker = _Worker(spare.child, spare.progress, spare.folder,
                                      pidfd=os.dup(spare.child.pidfd), ready=spare.ready)
                return
        self.folder = containment.new_folder()
        try:
            self.worker = _Worker.start(self.folder, self.containment)
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Kill the worker and remove its folder."""
        self.worker.kill()
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.server is not None:
            # The next check's child sets up while the learner reads this one's report.
            self.server.prepare()

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
        isolation = tuple(self.containment.isolation)
        data = source.encode("utf-8") if isinstance(source, str) else source
        problem = _unreadable(data)
        if problem:
            return Report(item.id, seed, (CaseResult("reading your code", False, problem),),
                          isolation=isolation)
        folder = self.folder
        (folder / "submission.py").write_bytes(data)  # as written: Python reads its coding cookie
        try:
            cases, expected = _prepare(item, seed, folder)
            stop = self.worker.run(cases)
            if self.worker.warm and (not self.worker.ready or self.worker.proc.lost):
                raise _WarmFailed
        finally:
            self.worker.kill()
        calls = {case.index: _read_calls(folder, case) for case in cases}
        if (folder / "import.json").exists():
            stop = _import_failure(folder)
        if self.worker.proc.returncode == TAMPERED:
            # Results may be forged: none of them counts.
            calls = {case.index: None for case in cases}
            stop = {"case": None, "message": "your code wrote into the folder where drill collects "
                                             "results, so none of them counts; return your answers instead"}
        output, truncated = self.worker.output()
        # Tracebacks and warnings name the temporary copy; name the learner's file instead.
        output = output.replace(str(folder / "submission.py"), name)
        judged = tuple(judge_case(case, expected[case.index], calls[case.index], stop)
                       for case in cases)
        from drill.hints import hint

        found = hint(item, cases, expected, judged, calls)
        return Report(item.id, seed, judged, found, output, truncated, isolation)


# -- the submission ------------------------------------------------------------------------


def _unreadable(data: bytes) -> str | None:
    """Why Python could not run this source, in the learner's terms (None: it can)."""
    import io
    import tokenize

    if len(data) > MAX_SOURCE:
        return f"the file is {len(data) // 1024} KiB; a code answer should be a small .py file"
    wide = _wide_encoding(data)
    if wide:
        return (f"the file is saved as {wide} text, which Python cannot run; save it as UTF-8 "
                "(your editor's 'Save with encoding' or 'Encoding' menu)")
    binary = ("the file is not Python source (it contains binary data); "
              "save your answer as a .py text file")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
        if b"\x00" in data:
            return binary
        if isinstance(exc, SyntaxError) and _CODING.search(b"\n".join(data.splitlines()[:2])):
            return f"Python cannot read your code: {exc.msg}; fix the coding line or remove it"
        return ("the file is not UTF-8 text and has no coding line saying what it is; "
                "save it as UTF-8, or add one such as `# -*- coding: latin-1 -*-`")
    if "\x00" in text:
        return binary
    if not text.strip():
        return "the file is empty; write your functions in it and check again"
    try:
        compile(data, "your file", "exec")  # compiling runs nothing; bytes keep the cookie
    except SyntaxError as exc:
        where = f"line {exc.lineno}: " if exc.lineno else ""
        return f"Python cannot read your code: {where}{exc.msg}; fix it and check again"
    except ValueError as exc:
        return f"Python cannot read your code: {exc}"
    return None


def _wide_encoding(data: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' when the bytes are text in one of them (with or without a BOM)."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    for name, codec in (("UTF-32", "utf-32-le"), ("UTF-32", "utf-32-be"),
                        ("UTF-16", "utf-16-le"), ("UTF-16", "utf-16-be")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if text.strip() and "\x00" not in text and text.isascii() and (text.isprintable() or "\n" in text):
            return name
    return None


_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.MULTILINE)  # PEP 263's coding line


# -- cases and the reference ---------------------------------------------------------------


def load_deck_module(item: Item, name: str):
    """One of the item's Python files (deck code), imported."""
    from drill.loader import load_module

    path = item.folder / name
    if not path.is_file():
        raise CheckError(f"{item.id} has no {name}, so drill cannot check answers to it")
    return load_module(path, f"{item.deck}.{item.id}.{path.stem}")


def _prepare(item: Item, seed: int, folder: Path) -> tuple[list[Case], list[list]]:
    """Draw the cases, write their inputs, and compute the reference's answers."""
    # Small arrays need no BLAS threads, and starting them competes with the worker's start.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    import inspect

    import numpy as np

    from drill.hints import run_with
    from drill.loader import call_with_time_limit, describe

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
    try:
        plan = {"cases": [_plan_entry(np, case, folder) for case in cases]}
        (folder / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    except (TypeError, ValueError) as exc:
        raise CheckError(f"{item.folder / 'cases.py'}: a case has an argument drill cannot pass "
                         f"on ({describe(exc)}); use NumPy arrays, numbers, booleans or lists") from None
    expected = []
    for case in cases:
        outs = []
        for k in range(case.calls):
            if case.judge is not None or case.repeat:
                outs.append(None)
                continue
            try:
                args = [a.copy() if isinstance(a, np.ndarray) else a for a in case.args]
                outs.append(call_with_time_limit(run_with, np, reference, case, args, case.seed_of(k)))
            except (Exception, SystemExit) as exc:  # noqa: BLE001 - see above
                raise CheckError(
                    f"the reference for {item.id} fails its case {case.name!r}: {describe(exc)}"
                ) from None
        expected.append(outs)
    return cases, expected


def make_case(index: int, spec: dict, item: Item) -> Case:
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


def _plan_entry(np, case: Case, folder: Path) -> dict:
    def spec(value, name: str) -> dict:
        if isinstance(value, np.ndarray):
            np.save(folder / name, value, allow_pickle=False)
            return {"npy": name}
        if isinstance(value, np.generic):
            return {"value": value.item()}
        return {"value": value}

    return {
        "index": case.index,
        "call": case.call,
        "args": [spec(a, f"case_{case.index}_arg{i}.npy") for i, a in enumerate(case.args)],
        "kwargs": {k: spec(v, f"case_{case.index}_kw_{k}.npy") for k, v in case.kwargs.items()},
        "rng_seeds": case.rng_seeds,
        "repeat": case.repeat,
    }


# -- reading back what the code left -------------------------------------------------------


class _Refused(Exception):
    """A file the worker left that drill will not use."""


def _read_calls(folder: Path, case: Case) -> list | None:
    """The case's calls as read back; None when none of them left anything (never ran)."""
    out = folder / "out"
    calls: list = []
    for k in range(case.calls):
        name = f"c{case.index}-{k}"
        note = _read_note(out / f"{name}.json")
        value, unreadable = None, ""
        try:
            value = _read_npy(out / f"{name}.npy")
        except _Refused as exc:
            unreadable = str(exc)
        if note is None and value is None and not unreadable:
            calls.append(None)
            continue
        note = note or {}
        call = Call(value=value, unreadable=unreadable,
                    type_name=_text(note.get("type"), 100),
                    repr=_text(note.get("repr"), 200),
                    error=_text(note.get("error"), 400),
                    kind=_text(note.get("kind"), 60),
                    line=note.get("line") if type(note.get("line")) is int else None,
                    missing=note.get("missing") is True,
                    params=_names(note.get("params")))
        if value is not None and not call.type_name:
            call.type_name = "numpy.ndarray" if value.ndim else "numpy.float64"
        for j, (arg_name, before) in enumerate(zip(case.arg_names(), [*case.args, *case.kwargs.values()])):
            if not isinstance(before, _ndarray()):
                continue
            where = f"a{j}" if j < len(case.args) else f"k{j - len(case.args)}"
            try:
                call.after[arg_name] = _read_npy(out / f"{name}-{where}.npy")
            except _Refused:
                call.after[arg_name] = None
        calls.append(call)
    if all(c is None for c in calls):
        return None
    return calls


def _ndarray():
    import numpy as np

    return np.ndarray


def _open_regular(path: Path, limit: int, head: bool = False) -> bytes | None:
    """The bytes of `path` if it is a regular file of at most `limit` bytes; None if absent.

    With `head`, a longer file is not refused: its first `limit` + 1 bytes come back.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _Refused(f"{path.name} cannot be opened: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _Refused(f"{path.name} is not a regular file")
        if info.st_size > limit and not head:
            raise _Refused(f"{path.name} is over {limit // 1024**2 or 1} MB")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit and not head:
            raise _Refused(f"{path.name} grew while it was read")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _read_npy(path: Path):
    """An array from an .npy file the worker left, checked before any byte is trusted."""
    import io

    import numpy as np

    data = _open_regular(path, FILE_LIMIT)
    if data is None:
        return None
    stream = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
        else:
            raise ValueError("unknown .npy version")
    except (ValueError, TypeError, OSError, SyntaxError):
        raise _Refused("not a valid .npy file") from None
    if dtype.hasobject or dtype.fields is not None or dtype.kind not in "biuf" or dtype.itemsize > 16:
        raise _Refused(f"it holds {dtype}, not numbers")
    if not isinstance(shape, tuple) or len(shape) > 32 or any(type(n) is not int or n < 0 for n in shape):
        raise _Refused("its shape is not valid")
    count = 1
    for n in shape:
        count *= n
    body = data[stream.tell():]
    if count * dtype.itemsize != len(body):
        raise _Refused("its size does not match its shape")
    array = np.frombuffer(body, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    return array.copy()


def _read_note(path: Path) -> dict | None:
    """A call's feedback file: a small JSON object, or None."""
    try:
        data = _open_regular(path, MAX_NOTE)
    except _Refused:
        return None
    if data is None:
        return None
    try:
        note = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return note if isinstance(note, dict) else None


def _text(value, limit: int) -> str:
    return visible(value)[:limit] if isinstance(value, str) else ""


def _names(value) -> tuple:
    """Parameter names from a feedback file: identifiers only, or nothing."""
    if not isinstance(value, list) or len(value) > 20:
        return ()
    if not all(isinstance(n, str) and n.isidentifier() and len(n) <= 60 for n in value):
        return ()
    return tuple(value)


def _import_failure(folder: Path) -> dict:
    note = _read_note(folder / "import.json") or {}
    line = note.get("line")
    where = f" (line {line})" if type(line) is int else ""
    error = _text(note.get("error"), 400) or "an error"
    return {"case": None, "import": True, "message": f"importing your code failed{where}: {error}"}


def visible(text: str) -> str:
    """`text` with control and formatting characters shown as escapes, not acted on.

    Newlines and tabs stay; everything a terminal would obey (ESC sequences, carriage
    returns, bidirectional overrides) is written out, e.g. `\\x1b[2J`.
    """
    out = []
    for ch in text:
        if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp"):
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return "".join(out)


# -- the worker process --------------------------------------------------------------------


class _Worker:
    def __init__(self, proc, pipe: int, folder: Path, pidfd: int | None = None,
                 ready: bool = False):
        self.proc = proc  # a subprocess.Popen, or a warm worker's child (drill.warm.WarmChild)
        self.pipe: int | None = pipe
        self.folder = folder
        self.buffer = b""
        self.eof = False
        self.warm = pidfd is not None
        self.pidfd = pidfd if self.warm else _pidfd(proc.pid)
        self.ready = ready  # it said `ready`: from then on, the learner's code may run

    @classmethod
    def start(cls, folder: Path, contained: containment.Containment) -> _Worker:
        try:
            proc, replies = containment.start_worker(folder, contained.worker_settings())
        except OSError as exc:
            raise DrillError(f"could not start Python to run your code ({exc})") from None
        return cls(proc, replies, folder)

    def run(self, cases: list[Case]) -> dict:
        """Let the code run its cases; return why it stopped early ({} when it did not)."""
        calls_of = {case.index: case.calls for case in cases}
        if not self._wait_for_ready():
            return self._why_stopped(None, "before your code was imported")
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(b"go\n")
            self.proc.stdin.close()
        except OSError:
            pass
        started = time.monotonic()  # the time budget counts from here
        current, deadline, ended = None, None, False
        while True:
            total_left = started + TOTAL_TIMEOUT_S - time.monotonic()
            call_left = float("inf") if deadline is None else deadline - time.monotonic()
            if total_left <= 0 or call_left <= 0:
                self.kill()
                if call_left <= 0:
                    limit = CALL_TIMEOUT_S * calls_of.get(current, 1)
                    return {"case": current, "message":
                            f"your code did not finish within {limit:g} s and was stopped: an endless loop?"}
                return {"case": current, "message":
                        f"your code took longer than {TOTAL_TIMEOUT_S:g} s in all and was stopped"}
            for line in self._lines(min(total_left, call_left)):
                if line == "end":
                    current, deadline, ended = None, None, True
                elif line.startswith("start ") and line[6:].isdigit() and int(line[6:]) in calls_of:
                    current = int(line[6:])
                    deadline = time.monotonic() + CALL_TIMEOUT_S * calls_of[current]
            if self.proc.poll() is not None:
                return {} if ended and self.proc.returncode == 0 else self._why_stopped(current, None)

    def _wait_for_ready(self) -> bool:
        if self.ready:
            return True
        end = time.monotonic() + TOTAL_TIMEOUT_S
        while time.monotonic() < end:
            if "ready" in self._lines(end - time.monotonic()):
                self.ready = True
                return True
            if self.proc.poll() is not None:
                return False
        return False

    def _lines(self, timeout: float) -> list[str]:
        """Progress lines that arrive within `timeout` s (or as soon as the worker ends)."""
        watch = [fd for fd in (self.pipe if not self.eof else None, self.pidfd) if fd is not None]
        wait = timeout if self.pidfd is not None else min(timeout, 0.02)
        ready, _, _ = select.select(watch, [], [], max(0.0, wait))
        if self.pipe is None or self.pipe not in ready:
            return []
        chunk = os.read(self.pipe, 65536)
        if not chunk:
            self.eof = True
            return []
        self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        self.buffer = self.buffer[-64:]  # a line is a few bytes; a flood is dropped, not kept
        return [line.decode("ascii", "replace").strip() for line in lines[-256:]]

    def _why_stopped(self, case, when) -> dict:
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.wait()
        where = f" {when}" if when else ""
        if code == UNCONFINED and when == "before your code was imported":
            return {"case": None, "message": "drill could not put its protections in place on this "
                                             "system, so your code was not run (see `drill check --help`)"}
        signum = -code if code < 0 else code - 128 if 128 < code < 128 + 65 else 0
        if signum:
            reasons = {
                signal.SIGXCPU: f"used more than {CPU_LIMIT_S} s of CPU time and was stopped",
                signal.SIGXFSZ: f"wrote more than {FILE_LIMIT // 1024**2} MB (output or files) and was stopped",
                signal.SIGSEGV: "crashed Python (segmentation fault)",
                signal.SIGKILL: "was killed (out of memory or time)",
                signal.SIGABRT: "crashed Python (aborted)",
            }
            try:
                name = signal.Signals(signum).name
            except ValueError:
                name = str(signum)
            what = reasons.get(signum, f"was ended by signal {name}")
            return {"case": case, "message": f"your code {what}{where}"}
        if code == 0:
            return {"case": case, "message": f"your code ended the process{where}: "
                                             "does it call os._exit() or exit()?"}
        return {"case": case, "message": f"your code ended the process with exit code {code}{where}"}

    def kill(self) -> None:
        """Kill the worker and everything it started (all of its namespace, where there is one)."""
        if self.warm:
            self.proc.stop()
        else:
            containment.stop(self.proc)
        for fd in (self.pipe, self.pidfd):
            if fd is not None:
                os.close(fd)
        self.pipe = self.pidfd = None

    def output(self) -> tuple[str, bool]:
        """What the code printed, capped, with control characters made visible."""
        try:
            data = _open_regular(self.folder / "output.txt", OUTPUT_SHOWN * 4, head=True) or b""
        except _Refused:
            return "", False
        text = data[: OUTPUT_SHOWN * 4].decode("utf-8", errors="replace")
        truncated = len(text) > OUTPUT_SHOWN or len(data) > OUTPUT_SHOWN * 4
        return visible(text[:OUTPUT_SHOWN]), truncated


def _pidfd(pid: int) -> int | None:
    """A descriptor that becomes readable when the process ends (Linux 5.3 and later)."""
    try:
        return os.pidfd_open(pid)  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return None

