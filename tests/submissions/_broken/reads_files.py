"""Correct, but reads a system file and writes one into the current directory on every call.

There is nothing to judge here: it should still pass. It shows what the worker's sandbox lets
a submission see and touch.
"""
import numpy as np


def relu(z):
    try:
        with open("/etc/passwd") as handle:
            handle.read(100)
    except OSError:
        pass
    try:
        with open("drill_submission_was_here.txt", "a") as handle:
            handle.write("relu called\n")
    except OSError:
        pass
    return np.maximum(z, 0)


def relu_backward(dout, z):
    return dout * (z > 0)
