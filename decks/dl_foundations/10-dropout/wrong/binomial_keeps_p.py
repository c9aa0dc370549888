import numpy as np

HINT = ("np.random.binomial(1, p, ...) is 1 with probability p, so it keeps p of the units; p is the "
        "drop probability: keep with probability 1 - p, np.random.binomial(1, 1 - p, size=x.shape).")


def dropout(x, p, training=True):
    if not training:
        return x
    mask = np.random.binomial(1, p, size=x.shape)
    return x * mask / (1 - p)
