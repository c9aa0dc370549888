import numpy as np


def dropout(x, p, training=True):
    if not training:
        return x
    mask = np.random.rand(*x.shape) >= p
    return x * mask / p
