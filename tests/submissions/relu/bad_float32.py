import numpy as np


def relu(z):
    return np.maximum(z, 0).astype(np.float32)


def relu_backward(dout, z):
    return (dout * (z > 0)).astype(np.float32)
