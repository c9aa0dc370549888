import numpy as np


def dropout(x, p, training=True):
    if not training:
        return x
    mask = np.random.binomial(1, p, size=x.shape)
    return x * mask / (1 - p)
