"""Crashes the interpreter with a segmentation fault inside relu (reads address 0)."""
import ctypes

import numpy as np


def relu(z):
    ctypes.string_at(0)
    return np.maximum(z, 0)


def relu_backward(dout, z):
    return dout * (z > 0)
