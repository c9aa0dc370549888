import numpy as np

HINT = ("relu changed the caller's array: z[z < 0] = 0 writes into z, which the backward pass still needs; "
        "return a new array instead, for example np.maximum(z, 0).")


def relu(z):
    z[z < 0] = 0
    return z


def relu_backward(dout, z):
    return dout * (z > 0)
