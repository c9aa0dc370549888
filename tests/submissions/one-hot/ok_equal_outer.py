import numpy as np


def one_hot(y, n_classes):
    return np.equal.outer(np.asarray(y), np.arange(n_classes)).astype(np.float64)
