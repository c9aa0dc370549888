import numpy as np


def relu(z):
    mask = (z > 0).astype(np.float64)
    return np.einsum("...,...->...", z, mask)


def relu_backward(dout, z):
    return np.einsum("...,...->...", dout, (z > 0).astype(np.float64))
