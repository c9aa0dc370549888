import numpy as np


def dropout(x, p, training=True):
    """Inverted dropout: drop each element with probability p.

    The survivors are scaled by 1/(1-p), so the expected value is unchanged.
    """
    mask = np.random.rand(*x.shape) >= p
    return x * mask / (1 - p)
