import numpy as np

HINT = ("Divide the kept units by the probability of keeping them, 1 - p, not by p: then the expected "
        "output equals x.")


def dropout(x, p, training=True):
    if not training:
        return x
    mask = np.random.rand(*x.shape) >= p
    return x * mask / p
