import numpy as np

HINT = ("np.max(z, 0) finds the largest entry along axis 0; the elementwise max(z, 0) is "
        "np.maximum(z, 0).")


def relu(z):
    return np.max(z, 0)


def relu_backward(dout, z):
    return dout * (z > 0)
