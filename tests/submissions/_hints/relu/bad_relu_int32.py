import numpy as np


def relu(z):
    return np.maximum(z, 0).astype(np.int32)


def relu_backward(dout, z):
    return dout * (z > 0)
