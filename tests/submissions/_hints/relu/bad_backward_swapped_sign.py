import numpy as np


def relu(z):
    return np.maximum(z, 0)


def relu_backward(z, dout):
    return dout * np.sign(z)
