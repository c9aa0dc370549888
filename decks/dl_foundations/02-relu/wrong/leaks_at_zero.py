import numpy as np

HINT = "At exactly z = 0 the gradient must be blocked: build the mask with z > 0, not z >= 0."


def relu(z):
    return np.maximum(z, 0)


def relu_backward(dout, z):
    return dout * (z >= 0)
