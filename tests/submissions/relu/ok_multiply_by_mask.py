import numpy as np


def relu(z):
    return z * (z > 0)


def relu_backward(dout, z):
    return np.multiply(dout, np.greater(z, 0))
