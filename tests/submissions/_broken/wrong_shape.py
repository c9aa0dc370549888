"""Right values that only match after broadcasting: an extra leading axis."""
import numpy as np


def relu(z):
    return np.maximum(z, 0)[np.newaxis]


def relu_backward(dout, z):
    return (dout * (z > 0)).reshape(1, -1)
