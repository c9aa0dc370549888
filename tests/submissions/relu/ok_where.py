import numpy as np


def relu(z):
    # pick z where it is positive, else 0
    return np.where(z > 0, z, 0.0)


def relu_backward(dout, z):
    return np.where(z > 0, dout, 0.0)
