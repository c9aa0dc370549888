import numpy as np


def dropout(x, training=True, p=0.5):
    if not training:
        return x
    keep = np.random.rand(*x.shape) >= p
    return x * keep / (1 - p)
