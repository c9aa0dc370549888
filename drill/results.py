"""Read back what a learner's code left in its check's folder, as untrusted data.

The worker (`drill/_worker.py`) leaves each call's return value and its array arguments as
`.npy` files whose names drill chose, and a small JSON note per call for feedback. Nothing
here trusts a byte of them: only regular files are opened (never through a link), sizes are
capped before reading, an array's dtype, shape and length are checked before it is built
(never a pickle), and every text shown back has its control characters written out.
What is read here is judged by `drill/judge.py`.
"""

from __future__ import annotations

import json
import os
import stat
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drill.containment import FILE_LIMIT
from drill.judge import Call, Case

if TYPE_CHECKING:  # NumPy is imported only when a result is read
    import numpy

OUTPUT_SHOWN = 2000  # characters of the code's own output shown back
MAX_NOTE = 8192  # bytes of a call's feedback file read back

Note = dict[str, Any]  # a call's feedback file, as parsed: nothing in it is trusted yet
Stop = dict[str, Any]  # why a run stopped early, for `judge_case` ({} when it did not)


class Refused(Exception):
    """A file the worker left that drill will not use."""


def read_calls(folder: Path, case: Case) -> list[Call | None] | None:
    """The case's calls as read back; None when none of them left anything (never ran)."""
    import numpy as np

    out = folder / "out"
    calls: list[Call | None] = []
    for k in range(case.calls):
        name = f"c{case.index}-{k}"
        note = read_note(out / f"{name}.json")
        value, unreadable = None, ""
        try:
            value = read_npy(out / f"{name}.npy")
        except Refused as exc:
            unreadable = str(exc)
        if note is None and value is None and not unreadable:
            calls.append(None)
            continue
        note = note or {}
        line = note.get("line")
        call = Call(value=value, unreadable=unreadable,
                    type_name=_text(note.get("type"), 100),
                    repr=_text(note.get("repr"), 200),
                    error=_text(note.get("error"), 400),
                    kind=_text(note.get("kind"), 60),
                    line=line if type(line) is int else None,
                    missing=note.get("missing") is True,
                    params=_names(note.get("params")))
        if value is not None and not call.type_name:
            call.type_name = "numpy.ndarray" if value.ndim else "numpy.float64"
        for j, (arg_name, before) in enumerate(zip(case.arg_names(), [*case.args, *case.kwargs.values()])):
            if not isinstance(before, np.ndarray):
                continue
            where = f"a{j}" if j < len(case.args) else f"k{j - len(case.args)}"
            try:
                call.after[arg_name] = read_npy(out / f"{name}-{where}.npy")
            except Refused:
                call.after[arg_name] = None
        calls.append(call)
    if all(c is None for c in calls):
        return None
    return calls


def open_regular(path: Path, limit: int, head: bool = False) -> bytes | None:
    """The bytes of `path` if it is a regular file of at most `limit` bytes; None if absent.

    With `head`, a longer file is not refused: its first `limit` + 1 bytes come back.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise Refused(f"{path.name} cannot be opened: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"{path.name} is not a regular file")
        if info.st_size > limit and not head:
            raise Refused(f"{path.name} is over {limit // 1024**2 or 1} MB")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit and not head:
            raise Refused(f"{path.name} grew while it was read")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_npy(path: Path) -> numpy.ndarray[Any, Any] | None:
    """An array from an .npy file the worker left, checked before any byte is trusted."""
    import io

    import numpy as np

    data = open_regular(path, FILE_LIMIT)
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
        raise Refused("not a valid .npy file") from None
    if dtype.hasobject or dtype.fields is not None or dtype.kind not in "biuf" or dtype.itemsize > 16:
        raise Refused(f"it holds {dtype}, not numbers")
    if not isinstance(shape, tuple) or len(shape) > 32 or any(type(n) is not int or n < 0 for n in shape):
        raise Refused("its shape is not valid")
    count = 1
    for n in shape:
        count *= n
    body = data[stream.tell():]
    if count * dtype.itemsize != len(body):
        raise Refused("its size does not match its shape")
    array = np.frombuffer(body, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    return array.copy()


def read_note(path: Path) -> Note | None:
    """A call's feedback file: a small JSON object, or None."""
    try:
        data = open_regular(path, MAX_NOTE)
    except Refused:
        return None
    if data is None:
        return None
    try:
        note = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return note if isinstance(note, dict) else None


def import_failure(folder: Path) -> Stop:
    """Why the run stopped, from the note the worker left when importing the code failed."""
    note = read_note(folder / "import.json") or {}
    line = note.get("line")
    where = f" (line {line})" if type(line) is int else ""
    error = _text(note.get("error"), 400) or "an error"
    return {"case": None, "import": True, "message": f"importing your code failed{where}: {error}"}


def read_output(folder: Path) -> tuple[str, bool]:
    """What the code printed, capped, with control characters made visible; and whether it was cut."""
    try:
        data = open_regular(folder / "output.txt", OUTPUT_SHOWN * 4, head=True) or b""
    except Refused:
        return "", False
    text = data[: OUTPUT_SHOWN * 4].decode("utf-8", errors="replace")
    truncated = len(text) > OUTPUT_SHOWN or len(data) > OUTPUT_SHOWN * 4
    return visible(text[:OUTPUT_SHOWN]), truncated


def _text(value: object, limit: int) -> str:
    return visible(value)[:limit] if isinstance(value, str) else ""


def _names(value: object) -> tuple[str, ...]:
    """Parameter names from a feedback file: identifiers only, or nothing."""
    if not isinstance(value, list) or len(value) > 20:
        return ()
    if not all(isinstance(n, str) and n.isidentifier() and len(n) <= 60 for n in value):
        return ()
    return tuple(value)


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
