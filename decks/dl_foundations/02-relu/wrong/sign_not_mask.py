import numpy as np

HINT = ("np.sign(z) is -1 where z < 0, so the gradient comes back with its sign flipped there instead "
        "of blocked; the ReLU's slope is the 0/1 mask: dout * (z > 0).")


def relu(z):
    return np.maximum(z, 0)


def relu_backward(dout, z):
    return dout * np.sign(z)
