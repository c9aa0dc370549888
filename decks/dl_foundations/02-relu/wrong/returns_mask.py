import numpy as np

HINT = ("relu_backward returned only the mask (z > 0); the gradient is the upstream gradient passed "
        "through that mask: dout * (z > 0).")


def relu(z):
    return np.maximum(z, 0)


def relu_backward(dout, z):
    return (z > 0).astype(float)
