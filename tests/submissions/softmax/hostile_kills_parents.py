"""Hostile: at import it sends SIGKILL to every process above it up to the test runner
(parent, grandparent and on), SIGSTOP first so none can react. softmax raises: it must
fail, and drill must survive to say so, with no process left behind.

It never signals pid 0 or 1, itself, or anything that is not below the test runner
(TEST_PID).
"""
import os
import signal

TEST_PID = "@@TEST_PID@@"


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


def _ancestors():
    chain, pid = [], os.getppid()
    while pid > 1 and str(pid) != TEST_PID and len(chain) < 8:
        chain.append(pid)
        try:
            pid = _parent_of(pid)
        except (OSError, ValueError, IndexError):
            break
    return chain


def _strike():
    if "@@" in TEST_PID:
        return  # not set up by the test: do nothing
    chain = [pid for pid in _ancestors() if pid != os.getpid() and _below_test_runner(pid)]
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        for pid in chain:
            try:
                os.kill(pid, sig)
            except OSError:
                pass
    print(f"signalled {chain}")


_strike()


def softmax(z):
    raise NotImplementedError("softmax is not written yet")
