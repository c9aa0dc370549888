"""What contains a learner's code while it runs, and the folders it runs in.

On Linux the worker starts through util-linux `unshare` in new user, network, PID and mount
namespaces (no network; every process the code starts dies with the check; a /proc of its
own), then confines itself with Landlock before it imports the learner's code (files: write
only in the check's folder, read only Python's standard library and NumPy; no signals to
processes outside; no TCP). Limits on memory, CPU time, file size, processes and open files
apply everywhere `resource` works. Each protection is used only where a probe finds it; the
names of those in force are what `drill check --json` reports as `isolation`.

`drill review` may start a warm worker instead (drill/forkserver.py): started here as a worker is,
it forks one child per check, which sets up the same namespaces, limits and Landlock rules
for itself before any of the learner's code runs.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CPU_LIMIT_S = 15  # CPU seconds for the whole submission
MEMORY_LIMIT = 2 * 1024**3  # address space; NumPy and OpenBLAS need a few hundred MB of it
FILE_LIMIT = 16 * 1024**2  # largest file (and captured output) the code may write
PROCESS_LIMIT = 128  # processes and threads inside the check's own namespace
OPEN_FILES_LIMIT = 256

FOLDER_PREFIX = "drill-check-"
NAMESPACES = ["--net", "--pid", "--fork", "--kill-child", "--mount", "--mount-proc"]
# util-linux 2.38 and later map the learner's own user id; older ones know only root.
USER_MAPPINGS = (["--user", "--map-current-user"], ["--user", "--map-root-user"])
# Every protection by name, in the order they are reported, with what gives it.
PROTECTIONS = {
    "network": "no network (a network namespace)",
    "processes": "every process it starts ends with the check (a PID namespace)",
    "filesystem": "writes only in its own folder; no reading your files (Landlock)",
    "signals": "cannot signal drill or your other programs",
    "limits": "limits on memory, CPU time, file size and open files",
}


@dataclass(frozen=True)
class Containment:
    """The protections this machine offers, found once per process."""

    unshare: tuple[str, ...]  # the unshare command line, when namespaces work unprivileged
    landlock_abi: int  # 0 when the kernel has no Landlock
    rlimits: bool

    @property
    def isolation(self) -> list[str]:
        """Names of the protections in force for a check, in `PROTECTIONS` order."""
        active = set()
        if self.unshare:
            active |= {"network", "processes", "signals"}
        if self.landlock_abi >= 1:
            active.add("filesystem")
        if self.landlock_abi >= 6:
            active.add("signals")
        if self.rlimits:
            active.add("limits")
        return [name for name in PROTECTIONS if name in active]

    @property
    def missing(self) -> list[str]:
        return [name for name in PROTECTIONS if name not in self.isolation]

    def command(self, python_args: list[str]) -> list[str]:
        """The command line that starts the worker inside the namespaces, when there are any."""
        return [*self.unshare, sys.executable, *python_args]

    def worker_settings(self) -> dict[str, Any]:
        """What the worker applies to itself once NumPy is imported."""
        rlimits = {"RLIMIT_NOFILE": OPEN_FILES_LIMIT}
        if self.unshare:
            # Counted per user namespace, so only there does a limit not also count the
            # learner's other programs.
            rlimits["RLIMIT_NPROC"] = PROCESS_LIMIT
        return {"rlimits": rlimits if self.rlimits else {}, "landlock": self.landlock_abi >= 1}


@functools.cache
def probe() -> Containment:
    """Find which protections work here (a few milliseconds, once per process)."""
    try:
        import resource  # noqa: F401  (POSIX only)

        rlimits = True
    except ImportError:
        rlimits = False
    if not sys.platform.startswith("linux"):
        return Containment((), 0, rlimits)
    return Containment(_unshare(), _landlock_abi(), rlimits)


def _unshare() -> tuple[str, ...]:
    program = shutil.which("unshare")
    if program is None:
        return ()
    for mapping in USER_MAPPINGS:
        command = (program, *mapping, *NAMESPACES, "--")
        try:
            done = subprocess.run([*command, "true"], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=5)
        except (OSError, subprocess.SubprocessError):
            return ()
        if done.returncode == 0:
            return command
    return ()


def _landlock_abi() -> int:
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        abi = libc.syscall(444, None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    except (OSError, AttributeError):
        return 0
    return max(0, int(abi))


# Limits for the whole of a worker, set before it starts (a warm worker's child sets them itself).
WORKER_LIMITS = {"RLIMIT_AS": MEMORY_LIMIT, "RLIMIT_CPU": CPU_LIMIT_S, "RLIMIT_FSIZE": FILE_LIMIT,
                 "RLIMIT_CORE": 0}
# A warm worker's server lives as long as a review: no CPU limit of its own (each child has one).
SERVER_LIMITS = {name: value for name, value in WORKER_LIMITS.items() if name != "RLIMIT_CPU"}


def preexec() -> None:  # runs in the child between fork and exec
    """Limits for the whole worker, and its death when drill dies."""
    _limits_and_pdeathsig(WORKER_LIMITS)


def server_preexec() -> None:  # runs in the child between fork and exec
    """Limits for a warm worker's server, and its death when drill dies."""
    _limits_and_pdeathsig(SERVER_LIMITS)


def _limits_and_pdeathsig(limits: dict[str, int]) -> None:
    import resource

    for name, value in limits.items():
        limit = getattr(resource, name, None)
        if limit is None:
            continue
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):
            pass
    if _prctl is not None:
        _prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: if drill dies, so does the worker


def _load_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL(None).prctl
    except (OSError, AttributeError):
        return None


_prctl = _load_prctl()  # looked up before any fork: a forked child should only call it


def worker_env(folder: Path) -> dict[str, str]:
    """The whole environment of a worker: nothing of drill's (no DRILL_DB), home in its folder."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(folder),
        "TMPDIR": str(folder),
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
    return env


WORKER = Path(__file__).with_name("_worker.py")


def start_worker(folder: Path, settings: dict[str, Any]) -> tuple[subprocess.Popen[bytes], int]:
    """Start `drill/_worker.py` contained, in `folder`: (the process, its reply pipe's read end).

    stdin is a pipe for drill's requests; what the code prints goes to folder/output.txt.
    Raises OSError when Python cannot be started.
    """
    read_end, write_end = os.pipe()
    command = probe().command(["-I", "-u", str(WORKER), str(folder), str(write_end),
                               json.dumps(settings)])
    try:
        with open(folder / "output.txt", "wb") as out:
            proc = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT, cwd=folder,
                env=worker_env(folder), pass_fds=(write_end,), start_new_session=True,
                preexec_fn=preexec if os.name == "posix" else None,
            )
    except OSError:
        os.close(read_end)
        raise
    finally:
        os.close(write_end)
    return proc, read_end


def start_server(folder: Path, sock_fd: int) -> subprocess.Popen[bytes]:
    """Start `drill/_worker.py --serve` (a warm worker) in `folder`, contained as a worker is.

    It talks to drill over `sock_fd` only (one end of a socket pair); what it prints goes to
    folder/output.txt. Raises OSError when Python cannot be started.
    """
    command = probe().command(["-I", "-u", str(WORKER), "--serve", str(sock_fd)])
    with open(folder / "output.txt", "wb") as out:
        return subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, cwd=folder,
            env=worker_env(folder), pass_fds=(sock_fd,), start_new_session=True,
            preexec_fn=server_preexec,
        )


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Kill a worker and everything it started (all of its namespace, where there is one)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
    if proc.stdin and not proc.stdin.closed:
        try:
            proc.stdin.close()
        except OSError:
            pass


# -- the check's folder --------------------------------------------------------------------


def new_folder() -> Path:
    """A fresh folder for one check, named after this process so a later run can sweep it."""
    sweep()
    return Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))


def sweep() -> int:
    """Remove check folders whose drill process is gone (killed before it could clean up)."""
    if os.name != "posix":
        return 0
    pattern = re.compile(re.escape(FOLDER_PREFIX) + r"(\d+)-")
    removed = 0
    try:
        entries = list(os.scandir(tempfile.gettempdir()))
    except OSError:
        return 0
    for entry in entries:
        match = pattern.match(entry.name)
        if not match:
            continue
        try:
            if not entry.is_dir(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
            os.kill(int(match.group(1)), 0)
        except ProcessLookupError:
            shutil.rmtree(entry.path, ignore_errors=True)
            removed += 1
        except (OSError, OverflowError):
            continue  # alive under another user, or not ours to judge
    return removed
