"""Sends SIGTERM to its parent process from inside relu, then returns the right answer.

The intent: a submission can see os.getppid(). If the process running it was started directly
by the checker, that parent is the checker itself (or `drill check`), and running the worker in
its own process group or session does not stop this signal. The checker has to survive it: for
example with a stand-in process between itself and the submission that ignores SIGTERM, or by
handling SIGTERM while a check runs. Either way it must never report this submission as passing
because the check was cut short.
"""
import os
import signal

import numpy as np


def relu(z):
    os.kill(os.getppid(), signal.SIGTERM)
    return np.maximum(z, 0)


def relu_backward(dout, z):
    return dout * (z > 0)
