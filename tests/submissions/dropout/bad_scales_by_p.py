import numpy as np


def dropout(x, p, training=True):
    if not training:
        return x
    keep = np.random.rand(*x.shape) >= p
    # the kept units are multiplied by p instead of divided by 1 - p
    return x * keep * p
