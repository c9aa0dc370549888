import numpy as np


def relu(z):
    # out=z saves memory, but overwrites the caller's array
    return np.clip(z, 0, None, out=z)


def relu_backward(dout, z):
    return dout * (z > 0)
