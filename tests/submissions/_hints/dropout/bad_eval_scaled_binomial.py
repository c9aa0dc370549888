import numpy as np


def dropout(x, p, training=True):
    if not training:
        # the old convention on top of the new one: scaled twice
        return x * (1 - p)
    keep = np.random.binomial(1, 1 - p, size=x.shape)
    return x * keep / (1 - p)
