import numpy as np


def relu(z):
    out = np.array(z, dtype=float, copy=True)
    out[out < 0] = 0.0
    return out


def relu_backward(dout, z):
    mask = (z > 0).astype(float)
    return dout * mask
