import numpy as np


def dropout(x, p, training=True):
    if not training:
        return x
    # "reproducible" dropout: the same units are dropped on every call
    np.random.seed(0)
    keep = np.random.rand(*x.shape) >= p
    return x * keep / (1 - p)
