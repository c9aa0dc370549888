"""Hostile: right functions, but at import it double-forks a daemon (fork, setsid, fork)
that execs `sleep 600` with a marker as its argv[0] and keeps every inherited descriptor.
Nothing it starts may outlive the check, and drill must not wait for it.
"""
import os

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
        os.execvp("sleep", [MARKER, "600"])
    except BaseException:
        pass
    finally:
        os._exit(0)


_daemon()


def relu(z):
    return np.maximum(z, 0)


def relu_backward(dout, z):
    return dout * (z > 0)
