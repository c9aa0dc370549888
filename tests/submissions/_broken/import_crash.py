"""Raises while the module is being imported, before any function can be called."""
import numpy as np

raise RuntimeError("this submission fails at import time")


def relu(z):
    return np.maximum(z, 0)


def relu_backward(dout, z):
    return dout * (z > 0)
