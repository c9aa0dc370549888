"""Part files: a file is written under a temporary name beside its target, then renamed.

A part file's name says who writes it, `.drill-<pid>-<host>-<random><suffix>.part`, where
<host> is a hash of the machine's name (a folder can be shared between machines, whose
process ids mean nothing to each other). A part file never outlives its writer unless the
writer is killed outright (SIGKILL, a power cut); `sweep` then removes it at the next start,
and only when its writer, on this machine, is gone (on POSIX systems; never on Windows).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

_NAME = re.compile(r"\.drill-([0-9]{1,10})-([0-9a-f]{8})-[a-z0-9_]+\.(?:apkg|html?|db|json)\.part"
                   r"(?:-wal|-shm|-journal)?")


@functools.lru_cache(maxsize=1)
def _host() -> str:
    import socket

    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def prefix(pid: int | None = None) -> str:
    """The start of the part-file names of this process (or of process `pid`), for
    tempfile.mkstemp."""
    return f".drill-{os.getpid() if pid is None else pid}-{_host()}-"


def path_for(folder: Path, suffix: str) -> Path:
    """A fresh part-file path in `folder` for a target ending in `suffix` (".db")."""
    import secrets

    return Path(folder) / f"{prefix()}{secrets.token_hex(4)}{suffix}.part"


def sweep(folder: Path) -> list[Path]:
    """Remove the part files in `folder` whose writer, on this machine, is gone."""
    if os.name == "nt":
        return []  # os.kill(pid, 0) sends Ctrl-C there instead of testing the pid
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.name.startswith(".drill-")]
    except OSError:
        return []  # an unreadable folder fails on its own when it is written
    removed = []
    for name in names:
        match = _NAME.fullmatch(name)
        if match and match[2] == _host() and not _running(int(match[1])):
            try:
                (Path(folder) / name).unlink()
                removed.append(Path(folder) / name)
            except OSError:
                pass  # gone already (another drill swept it), or not ours to remove
    return removed


def _running(pid: int) -> bool:
    if pid <= 0 or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # another user's process, or a pid we cannot ask about
        return True
    return True


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGTERM and SIGHUP back for the block, then act on one that came as it would have.

    The handlers are swapped, not the signal mask: Python runs handlers in the main thread
    whichever thread the signal reaches, and NumPy's threads do not share a mask.
    """
    import signal

    held: list[int] = []
    before = {}
    try:
        for name in ("SIGTERM", "SIGHUP"):
            number = getattr(signal, name, None)
            if number is not None and signal.getsignal(number) is not None:  # None: not Python's
                before[number] = signal.signal(number, lambda signum, _frame: held.append(signum))
    except ValueError:  # not the main thread, where signals are not handled anyway
        pass
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
        if held:
            signal.raise_signal(held[0])
