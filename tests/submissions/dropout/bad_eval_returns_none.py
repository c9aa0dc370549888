import numpy as np


def dropout(x, p, training=True):
    if training:
        mask = np.random.rand(*x.shape) >= p
        return x * mask / (1 - p)
