import numpy as np


def dropout(x, p, training=True):
    if not training:
        # the old, non-inverted convention: scale at evaluation time
        return x.copy() * (1 - p)
    keep = np.random.rand(*x.shape) >= p
    return x * keep / (1 - p)
