import numpy as np


def dropout(x, p, training=True):
    if not training:
        return x
    keep = np.random.random_sample(np.shape(x)) >= p
    return x * keep / (1.0 - p)
