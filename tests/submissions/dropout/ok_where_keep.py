import numpy as np


def dropout(x, p, training=True):
    if not training:
        return x.copy()
    keep = np.random.random(x.shape) < 1 - p
    return np.where(keep, x / (1 - p), 0.0)
