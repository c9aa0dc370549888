import numpy as np


def relu(z):
    return np.clip(z, 0, None)


def relu_backward(dout, z):
    grad = dout.copy()
    grad[z <= 0] = 0
    return grad
