import numpy as np


def one_hot(y, n_classes):
    """Return a float array of shape (len(y), n_classes).

    Each row i holds a single 1, at column y[i], and 0 everywhere else.
    """
    raise NotImplementedError
