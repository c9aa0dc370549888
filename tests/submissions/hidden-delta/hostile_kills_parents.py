"""Hostile: on its first call it sends SIGKILL to its parent and to its grandparent (read
from /proc/<ppid>/stat). hidden_delta then raises: it must fail, and drill must survive to
say so, with no process left behind.

It never signals pid 0 or 1, itself, or anything that is not below the test runner
(TEST_PID).
"""
import os
import signal

TEST_PID = "@@TEST_PID@@"
_done = []


def _parent_of(pid):
    with open(f"/proc/{pid}/stat", "rb") as fh:
        return int(fh.read().rsplit(b")", 1)[1].split()[1])


def _below_test_runner(pid):
    """True when the test runner is an ancestor of pid: only the test's own processes are hit."""
    for _ in range(16):
        try:
            pid = _parent_of(pid)
        except (OSError, ValueError, IndexError):
            return False
        if str(pid) == TEST_PID:
            return True
        if pid <= 1:
            return False
    return False


def _strike():
    if "@@" in TEST_PID or _done:
        return
    _done.append(True)
    targets = [os.getppid()]
    try:
        targets.append(_parent_of(targets[0]))
    except (OSError, ValueError, IndexError):
        pass
    for pid in targets:
        if pid > 1 and pid != os.getpid() and _below_test_runner(pid):
            try:
                os.kill(pid, signal.SIGKILL)
                print(f"killed {pid}")
            except OSError as exc:
                print(f"could not kill {pid}: {type(exc).__name__}")


def hidden_delta(delta2, W1, W2, z1):
    _strike()
    raise NotImplementedError("hidden_delta is not written yet")
