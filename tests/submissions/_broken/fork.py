"""Forks 50 children on its first call to relu, then returns the right answer.

Each child sleeps 20 seconds and then exits without running any cleanup, so the children
outlive the call while holding the worker's inherited stdout, stderr and pipes open. A checker
that waits for end-of-file on those pipes, or that does not end the whole process group, hangs
until they exit. Bounded on purpose: 50 forks at most per process, and every child exits.
"""
import os
import time

import numpy as np

MAX_FORKS = 50
_forked = False


def _fork_children():
    global _forked
    if _forked:
        return
    _forked = True
    for _ in range(MAX_FORKS):
        try:
            pid = os.fork()
        except OSError:
            return
        if pid == 0:
            try:
                time.sleep(20)
            finally:
                os._exit(0)


def relu(z):
    _fork_children()
    return np.maximum(z, 0)


def relu_backward(dout, z):
    return dout * (z > 0)
