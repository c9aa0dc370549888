"""Harmless probe, run before bad_kill_all.py: right relu functions, and at import it asks,
with signal 0 (which delivers nothing), whether it could signal the test runner and a
sentinel process the test started. It prints one PROBE line with what it found.
"""
import os

import numpy as np

TEST_PID = "@@TEST_PID@@"
SENTINEL_PID = "@@SENTINEL_PID@@"


def _reach(pid_text):
    if "@@" in pid_text:
        return "unset"
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return "invisible"
    except PermissionError:
        return "denied"
    except OSError as exc:
        return type(exc).__name__
    return "reachable"


print(f"PROBE test_runner={_reach(TEST_PID)} sentinel={_reach(SENTINEL_PID)}")


def relu(z):
    return np.maximum(z, 0)


def relu_backward(dout, z):
    return dout * (z > 0)
