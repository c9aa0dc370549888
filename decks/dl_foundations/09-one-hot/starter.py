import numpy as np


def one_hot(y, n_classes):
    """Return a float array of shape (len(y), n_classes) with a single 1 per row, at column y[i]."""
    raise NotImplementedError
