import numpy as np

HINT = ("p is the probability of dropping a unit, not of keeping it: keep with probability 1 - p "
        "(mask = np.random.rand(*x.shape) >= p) and divide by 1 - p.")


def dropout(x, p, training=True):
    if not training:
        return x
    mask = np.random.rand(*x.shape) < p
    return x * mask / p
