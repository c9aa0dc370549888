"""Hostile: right function, but at import it double-forks a daemon that runs a fresh
Python sleeping 600 s, with a marker on its command line. Nothing may outlive the check.
"""
import os
import sys

import numpy as np

MARKER = "@@MARKER@@"


def _daemon():
    if "@@" in MARKER:
        return  # not set up by the test: do nothing
    try:
        pid = os.fork()
    except OSError:
        return
    if pid:
        try:
            os.waitpid(pid, 0)
        except OSError:
            pass
        return
    try:
        os.setsid()
        if os.fork():
            os._exit(0)
        os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(600)", MARKER])
    except BaseException:
        pass
    finally:
        os._exit(0)


_daemon()


def dropout(x, p, training=True):
    if not training:
        return x
    keep = np.random.rand(*x.shape) >= p
    return x * keep / (1 - p)
