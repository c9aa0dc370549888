"""Check a learner's code answer against an item's cases, contained, and report on it.

The code runs in a separate Python process (`drill/_worker.py`) in a folder of its own,
contained as far as this machine allows (`drill/containment.py`, `drill/sandbox.py`). The
worker decides nothing: it leaves each call's return value and its array arguments as `.npy`
files whose names drill chose, and drill reads them as untrusted data (`drill/results.py`:
regular files only, size, dtype and shape checked, never pickles) and judges them in its own
process (`drill/judge.py`). Nothing the code writes can claim a pass, name a file for drill
to open, or make drill wait beyond its time limits.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drill import containment
from drill.errors import DrillError
from drill.itemcode import CheckError, draw
from drill.judge import Case, CaseResult, judge_case
from drill.models import Item
from drill.results import import_failure, read_calls, read_output
from drill.sandbox import WarmFailed, Worker, write_plan

if TYPE_CHECKING:
    from drill.forkserver import Server

MAX_SOURCE = 1024**2

__all__ = ["CheckError", "Report", "Sandbox", "check_file", "check_source"]


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

    def as_json(self) -> dict[str, Any]:
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


def check_file(item: Item, path: Path, seed: int) -> Report:
    """Check the learner's file for a code item."""
    with Sandbox() as sandbox:
        return sandbox.check_file(item, path, seed)


def check_source(item: Item, source: bytes | str, seed: int, name: str = "your file",
                 server: Server | None = None) -> Report:
    """Check the learner's source code for a code item, with cases drawn from `seed`.

    With `server` (a warm worker, drill.forkserver.Server), the code runs in a child of it; if it
    fails before the code runs, or vanishes, the server is closed and the check runs cold.
    """
    if server is not None:
        try:
            with Sandbox(server) as sandbox:
                return sandbox.check_source(item, source, seed, name)
        except WarmFailed:
            server.close()  # not trusted with the rest of the session
    with Sandbox() as sandbox:
        return sandbox.check_source(item, source, seed, name)


class Sandbox:
    """A worker process started ahead of time: it imports NumPy while drill gets ready.

    One sandbox checks one submission; closing it kills whatever the code left running and
    removes its folder. With a warm worker's `server`, the worker is the child that server
    has ready, in its folder (or a cold one, if the server cannot give one).
    """

    def __init__(self, server: Server | None = None) -> None:
        self.containment = containment.probe()
        self.worker = Worker.start(self.containment, server)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Kill the worker and remove its folder."""
        self.worker.close()

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
        worker = self.worker
        folder = worker.folder
        (folder / "submission.py").write_bytes(data)  # as written: Python reads its coding cookie
        try:
            cases, expected = _prepare(item, seed, folder)
            stop = worker.run(cases)
        finally:
            worker.kill()
        calls = {case.index: read_calls(folder, case) for case in cases}
        if (folder / "import.json").exists():
            stop = import_failure(folder)
        if worker.tampered:
            # Results may be forged: none of them counts.
            calls = {case.index: None for case in cases}
            stop = {"case": None, "message": "your code wrote into the folder where drill collects "
                                             "results, so none of them counts; return your answers instead"}
        output, truncated = read_output(folder)
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


# -- the cases and the reference's answers -------------------------------------------------


def _prepare(item: Item, seed: int, folder: Path) -> tuple[list[Case], list[list[Any]]]:
    """Draw the cases, write the plan and its inputs, and compute the reference's answers."""
    # Small arrays need no BLAS threads, and starting them competes with the worker's start.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    import numpy as np

    from drill.deckcode import call_with_time_limit, describe
    from drill.hints import run_with

    cases, reference = draw(item, seed)
    try:
        write_plan(np, cases, folder)
    except (TypeError, ValueError) as exc:
        raise CheckError(f"{item.folder / 'cases.py'}: a case has an argument drill cannot pass "
                         f"on ({describe(exc)}); use NumPy arrays, numbers, booleans or lists") from None
    expected = []
    for case in cases:
        outs: list[Any] = []
        for k in range(case.calls):
            if case.judge is not None or case.repeat:
                outs.append(None)
                continue
            try:
                args = [a.copy() if isinstance(a, np.ndarray) else a for a in case.args]
                outs.append(call_with_time_limit(run_with, np, reference, case, args, case.seed_of(k)))
            except (Exception, SystemExit) as exc:  # noqa: BLE001 - deck code may even call sys.exit()
                raise CheckError(
                    f"the reference for {item.id} fails its case {case.name!r}: {describe(exc)}"
                ) from None
        expected.append(outs)
    return cases, expected
