"""Runs for many minutes inside a single NumPy C call, using almost no memory.

broadcast_to makes a 10^13-element view of one number without allocating it, and sum() then
adds them up in C. Python-level signal handlers (signal.alarm, KeyboardInterrupt) only run
once the call returns, so only killing the process stops it in time.
"""
import numpy as np


def relu(z):
    np.broadcast_to(np.float64(1.0), (10**6, 10**7)).sum()
    return np.maximum(z, 0)


def relu_backward(dout, z):
    return dout * (z > 0)
