import numpy as np


def dropout(x, p, training=True):
    if not training:
        return x
    keep = np.random.rand(*x.shape) >= p
    x *= keep / (1 - p)
    return x
