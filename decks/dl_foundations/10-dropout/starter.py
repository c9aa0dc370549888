import numpy as np


def dropout(x, p, training=True):
    """Inverted dropout: drop each element with probability p and scale the survivors by 1/(1-p)."""
    mask = np.random.rand(*x.shape) >= p
    return x * mask / (1 - p)
