# Inverted dropout: kept units are scaled by 1 / (1 − p) so that 𝔼[output] = x.
import numpy as np


def dropout(x, p, training=True):
    if not training:
        return x
    mask = np.random.rand(*x.shape) >= p
    return np.where(mask, x / (1 - p), 0.0)
