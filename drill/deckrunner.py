"""Run an added deck's code in a contained process, the way `drill check` runs a learner's.

Decks other than the built-in one run only with the learner's consent (drill/trust.py), and
even then their code does not run in drill's process: each such deck gets one worker
(drill/_worker.py in deck mode, under the same namespaces, Landlock rules and limits as a
check, reading only its own folder besides Python and NumPy), started on first use and kept
until drill exits. drill sends it the file's agreed bytes and a call; it answers with plain
JSON data, which drill validates like any other deck output.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import select
import shutil
import time
from pathlib import Path
from typing import Any

from drill import containment

STARTUP_S = 20.0  # Python and NumPy starting, on a busy machine
MAX_REPLY = 4 * 1024**2


class DeckCodeError(Exception):
    """The deck's code raised, ran too long, or its process ended; `line` is in `file`."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None):
        super().__init__(message)
        self.file, self.line = file, line


class DeckProcess:
    """One contained Python process running one deck folder's code on request."""

    def __init__(self, folder: Path):
        self.folder = Path(os.path.abspath(folder))
        self.contained = containment.probe()
        self.tmp = containment.new_folder()
        self.answered = False
        self.buffer = b""
        settings = dict(self.contained.worker_settings(), deck=str(self.folder))
        try:
            self.proc, read_end = containment.start_worker(self.tmp, settings)
        except OSError as exc:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise DeckCodeError(f"could not start Python to run the deck's code ({exc})") from None
        self.replies: int | None = read_end

    def call(self, file: str, source: bytes, module: str, function: str, args: list[Any],
             seconds: float) -> object:
        """`function(*args)` from the deck's `file` (whose agreed bytes are `source`)."""
        # The source goes with every call (the worker compiles it once): a file whose import
        # failed is simply tried again next time.
        request = {"file": file, "module": module, "function": function, "args": args,
                   "source": base64.b64encode(source).decode("ascii")}
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(json.dumps(request).encode() + b"\n")
            self.proc.stdin.flush()
        except (OSError, ValueError):
            self.close()
            raise DeckCodeError("the deck's code ended its own process") from None
        first, self.answered = not self.answered, True
        line = self._reply(seconds + (STARTUP_S if first else 0))
        try:
            reply = json.loads(line)
        except ValueError:
            reply = None
        if not isinstance(reply, dict):
            raise DeckCodeError("the deck's code sent back something drill cannot read")
        if "error" in reply:
            where = reply.get("where")
            line_no = where[1] if isinstance(where, list) and len(where) == 2 and type(where[1]) is int else None
            raise DeckCodeError(str(reply["error"])[:500], file, line_no)
        return reply.get("value")

    def _reply(self, seconds: float) -> bytes:
        replies = self.replies
        if replies is None:  # closed already (the write before this one would have failed)
            raise DeckCodeError("the deck's code ended its own process")
        end = time.monotonic() + seconds
        while b"\n" not in self.buffer:
            left = end - time.monotonic()
            ready = select.select([replies], [], [], max(0.0, left))[0] if left > 0 else []
            if not ready:
                self.close()
                raise DeckCodeError(f"took longer than {seconds:g} s (an endless loop?)")
            chunk = os.read(replies, 1 << 16)
            if not chunk:
                self.close()
                raise DeckCodeError("the deck's code ended its own process")
            self.buffer += chunk
            if len(self.buffer) > MAX_REPLY:
                self.close()
                raise DeckCodeError(f"the deck's code sent back more than {MAX_REPLY // 1024**2} MB")
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None and self.replies is not None

    def close(self) -> None:
        containment.stop(self.proc)
        if self.replies is not None:
            os.close(self.replies)
            self.replies = None
        self._keep_log()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _keep_log(self) -> None:
        """Append what the deck's code printed to $DRILL_DECK_LOG, for deck authors."""
        log = os.environ.get("DRILL_DECK_LOG")
        if not log:
            return
        try:
            with open(self.tmp / "output.txt", "rb") as fh:
                printed = fh.read(MAX_REPLY)
            if printed:
                with open(log, "ab") as out:
                    out.write(printed)
        except OSError:
            pass  # a log for authors is never worth failing a command


_RUNNING: dict[Path, DeckProcess] = {}


def call(folder: Path, file: str, source: bytes, module: str, function: str, args: list[Any],
         seconds: float) -> object:
    """Call a function of an added deck in that deck's contained process (started if need be)."""
    key = Path(os.path.abspath(folder))
    process = _RUNNING.get(key)
    if process is None or not process.alive:
        process = _RUNNING[key] = DeckProcess(key)
    try:
        return process.call(file, source, module, function, args, seconds)
    except DeckCodeError:
        raise
    except BaseException:
        # Interrupted mid-call (a time limit, Ctrl-C): its reply would answer the next call.
        _RUNNING.pop(key, None)
        process.close()
        raise


@atexit.register
def close_all() -> None:
    """Stop every deck process (also run at exit)."""
    while _RUNNING:
        _RUNNING.popitem()[1].close()
