import numpy as np


def softmax(z):
    """Softmax over the last axis of z (a 1-D vector or a 2-D batch of rows)."""
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)
