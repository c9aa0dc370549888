"""Calling deck code in this process: a time limit, and its exceptions as file:line text.

The loader (which imports deck files) and variants (which call generators) both use these,
so they live below both.
"""

from __future__ import annotations

import signal
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn, TypeVar

T = TypeVar("T")

DECK_CODE_TIME_LIMIT_S = 5


def call_with_time_limit(function: Callable[..., T], *args: Any,
                         seconds: float = DECK_CODE_TIME_LIMIT_S) -> T:
    """Call deck code with a time limit, so a loop in it cannot hang drill (TimeoutError)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return function(*args)

    def stop(signum: int, frame: FrameType | None) -> NoReturn:
        raise TimeoutError(f"took longer than {seconds:g} s (an endless loop?)")

    # An outer timer (the self-check's time limit) is put back afterwards, less the time spent.
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return function(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left > 0:
            left = outer_left - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))  # 0 would cancel it


def error_line(exc: BaseException, path: Path) -> int:
    """The line in `path` where an exception was raised (1 when it was not raised there)."""
    if isinstance(exc, SyntaxError) and exc.lineno:
        return exc.lineno
    line = 1
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename) == path:
            line = frame.lineno or 1
    return line


def describe(exc: BaseException) -> str:
    """An exception as `Type: message` on one line."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
