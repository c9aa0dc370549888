"""Right values, wrong type: nested Python lists instead of arrays."""
import numpy as np


def relu(z):
    return np.maximum(z, 0).tolist()


def relu_backward(dout, z):
    return (dout * (z > 0)).tolist()
