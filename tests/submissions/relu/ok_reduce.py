import functools

import numpy as np


def relu(z):
    return functools.reduce(np.maximum, [z, 0.0])


def relu_backward(dout, z):
    return functools.reduce(np.multiply, [dout, z > 0])
