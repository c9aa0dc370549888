import numpy as np


def dropout(x, p, training=True):
    if not training:
        return x
    keep = np.random.binomial(n=1, p=1.0 - p, size=np.shape(x)).astype(bool)
    return np.where(keep, x / (1.0 - p), 0.0)
