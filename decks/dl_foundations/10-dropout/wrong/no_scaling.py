import numpy as np

HINT = ("Inverted dropout scales the kept units by 1 / (1 - p), so that the expected output equals x "
        "and evaluation needs no correction: return x * mask / (1 - p).")


def dropout(x, p, training=True):
    if not training:
        return x
    mask = np.random.rand(*x.shape) >= p
    return x * mask
