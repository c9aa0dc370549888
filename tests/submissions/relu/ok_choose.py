import numpy as np


def relu(z):
    positive = (z > 0).astype(np.intp)
    return np.choose(positive, [np.zeros_like(z), z])


def relu_backward(dout, z):
    positive = (z > 0).astype(np.intp)
    return np.choose(positive, [np.zeros_like(dout), dout])
