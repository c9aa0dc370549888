import numpy as np

HINT = ("dropout wrote into the caller's x (x[...] = 0, x *= ..., x /= ...): build the result as a new "
        "array, x * mask / (1 - p), and leave x alone.")


def dropout(x, p, training=True):
    if not training:
        return x
    x[np.random.rand(*x.shape) < p] = 0
    x /= 1 - p
    return x
