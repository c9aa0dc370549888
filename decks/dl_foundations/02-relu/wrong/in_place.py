import numpy as np

HINT = ("relu wrote into the caller's z (z[z < 0] = 0, out=z and the like), which the backward pass "
        "still needs; return a new array instead, for example np.maximum(z, 0).")


def relu(z):
    z[z < 0] = 0
    return z


def relu_backward(dout, z):
    return dout * (z > 0)
