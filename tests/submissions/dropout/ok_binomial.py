import numpy as np


def dropout(x, p, training=True):
    if training:
        keep = np.random.binomial(1, 1 - p, size=x.shape)
        return x * keep / (1 - p)
    return x
