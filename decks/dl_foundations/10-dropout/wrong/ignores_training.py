import numpy as np

HINT = ("The mask is applied whatever training says: when training is False, return x unchanged, "
        "so that evaluation is deterministic.")


def dropout(x, p, training=True):
    mask = np.random.rand(*x.shape) >= p
    return x * mask / (1 - p)
