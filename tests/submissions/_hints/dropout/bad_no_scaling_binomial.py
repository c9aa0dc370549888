import numpy as np


def dropout(x, p, training=True):
    if not training:
        return x
    return x * np.random.binomial(1, 1 - p, size=x.shape)
