"""Correct, but chatty: a few lines of debugging output on every call. It must still pass."""
import numpy as np


def relu(z):
    print("relu called with shape", np.shape(z))
    out = np.maximum(z, 0)
    print("output:", out)
    print("done")
    return out


def relu_backward(dout, z):
    print("relu_backward: dout", dout)
    print("relu_backward: z", z)
    return dout * (z > 0)
