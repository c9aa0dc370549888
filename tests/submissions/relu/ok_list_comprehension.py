import numpy as np


def relu(z):
    flat = [value if value > 0 else 0.0 for value in np.ravel(z)]
    return np.array(flat, dtype=float).reshape(np.shape(z))


def relu_backward(dout, z):
    pairs = zip(np.ravel(dout), np.ravel(z))
    flat = [grad if value > 0 else 0.0 for grad, value in pairs]
    return np.array(flat, dtype=float).reshape(np.shape(z))
