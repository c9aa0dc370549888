"""Run one submission in a contained worker process, within drill's time limits.

The worker is `drill/_worker.py`, started cold (`containment.start_worker`) or handed over
by a warm worker (`drill/forkserver.py`), in a folder of its own that holds the learner's
code, the plan of calls and their inputs. drill times the calls from the worker's progress
lines (`ready`, `start <case>`, `end`), kills it and everything it started when a limit is
reached or the check is over, and says why a run stopped early. What the run left in the
folder is read back by `drill/results.py`.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import time
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from drill import containment
from drill.containment import CPU_LIMIT_S, FILE_LIMIT
from drill.errors import DrillError
from drill.judge import Case
from drill.results import Stop

if TYPE_CHECKING:
    from drill.forkserver import Server, WarmChild

CALL_TIMEOUT_S = 3.0  # wall clock for one call of the learner's function
TOTAL_TIMEOUT_S = 20.0  # wall clock for the whole submission, NumPy import included
TAMPERED = 75  # the worker's exit status when the code wrote where results go (_worker.py)
UNCONFINED = 71  # ... and when it could not confine itself, before running any of the code


class WarmFailed(Exception):
    """The warm worker's child never ran the code, or its server vanished: check again cold."""


def write_plan(np: ModuleType, cases: list[Case], folder: Path) -> None:
    """The calls the worker makes, as folder/plan.json, with array inputs as .npy files beside it.

    Raises TypeError or ValueError for an argument that cannot be passed on.
    """
    plan = {"cases": [_plan_entry(np, case, folder) for case in cases]}
    (folder / "plan.json").write_text(json.dumps(plan), encoding="utf-8")


def _plan_entry(np: ModuleType, case: Case, folder: Path) -> dict[str, Any]:
    def spec(value: object, name: str) -> dict[str, Any]:
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


class Worker:
    """The process that runs one submission, and its folder.

    `proc` is the `subprocess.Popen` of a worker started cold, or a warm worker's child
    (drill.forkserver.WarmChild), which has the parts of Popen used here.
    """

    def __init__(self, proc: subprocess.Popen[bytes] | WarmChild, pipe: int, folder: Path,
                 pidfd: int | None, ready: bool = False, server: Server | None = None):
        self.proc = proc
        self.pipe: int | None = pipe
        self.folder = folder
        self.buffer = b""
        self.eof = False
        self.pidfd = pidfd  # readable once the process has ended (None: polled instead)
        self.ready = ready  # it said `ready`: from then on, the learner's code may run
        self.server = server

    @classmethod
    def start(cls, contained: containment.Containment, server: Server | None = None) -> Worker:
        """A worker in a fresh folder: the child `server` has ready, or (if none) one started cold."""
        if server is not None:
            from drill.forkserver import Unavailable

            try:
                spare = server.take()
            except Unavailable:
                pass  # the server has closed itself: this check and the next start cold
            else:
                child = spare.child
                assert child is not None and child.pidfd is not None  # take() gives started ones
                return cls(child, spare.progress, spare.folder, pidfd=os.dup(child.pidfd),
                           ready=spare.ready, server=server)
        folder = containment.new_folder()
        try:
            try:
                proc, replies = containment.start_worker(folder, contained.worker_settings())
            except OSError as exc:
                raise DrillError(f"could not start Python to run your code ({exc})") from None
            return cls(proc, replies, folder, pidfd=_pidfd(proc.pid))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise

    @property
    def warm(self) -> bool:
        return not isinstance(self.proc, subprocess.Popen)

    @property
    def tampered(self) -> bool:
        """The code wrote into the folder where results go: none of them counts."""
        return self.proc.returncode == TAMPERED

    def run(self, cases: list[Case]) -> Stop:
        """Let the code run its cases; return why it stopped early ({} when it did not).

        Raises WarmFailed when a warm worker's child never got as far as the code, or the
        server vanished before it said how the child ended.
        """
        stop = self._run(cases)
        if not isinstance(self.proc, subprocess.Popen) and (not self.ready or self.proc.lost):
            raise WarmFailed
        return stop

    def _run(self, cases: list[Case]) -> Stop:
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
        current: int | None = None
        deadline: float | None = None
        ended = False
        while True:
            total_left = started + TOTAL_TIMEOUT_S - time.monotonic()
            call_left = float("inf") if deadline is None else deadline - time.monotonic()
            if total_left <= 0 or call_left <= 0:
                self.kill()
                if call_left <= 0:
                    limit = CALL_TIMEOUT_S * (calls_of.get(current, 1) if current is not None else 1)
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

    def _why_stopped(self, case: int | None, when: str | None) -> Stop:
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
            reasons: dict[int, str] = {
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
        if isinstance(self.proc, subprocess.Popen):
            containment.stop(self.proc)
        else:
            self.proc.stop()
        for fd in (self.pipe, self.pidfd):
            if fd is not None:
                os.close(fd)
        self.pipe = self.pidfd = None

    def close(self) -> None:
        """Kill the worker and remove its folder."""
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.server is not None:
            # The next check's child sets up while the learner reads this one's report.
            self.server.prepare()


def _pidfd(pid: int) -> int | None:
    """A descriptor that becomes readable when the process ends (Linux 5.3 and later)."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None
