import numpy as np

HINT = ("The mask must come from z, the pre-activation saved from the forward pass, not from dout: "
        "use dout * (z > 0).")


def relu(z):
    return np.maximum(z, 0)


def relu_backward(dout, z):
    return dout * (dout > 0)
