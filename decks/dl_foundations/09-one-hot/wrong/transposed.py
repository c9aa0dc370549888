import numpy as np

HINT = ("The result has one row per label: shape (len(y), n_classes), set with "
        "Y[np.arange(n), y] = 1, not (n_classes, len(y)).")


def one_hot(y, n_classes):
    n = len(y)
    Y = np.zeros((n_classes, n))
    Y[y, np.arange(n)] = 1
    return Y
