import numpy as np


def dropout(x, p, training=True):
    x = x.astype(np.float32)
    if not training:
        return x
    keep = np.random.rand(*x.shape) >= p
    return x * keep / np.float32(1 - p)
