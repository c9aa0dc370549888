import numpy as np

HINT = ("Labels run from 0 to n_classes - 1, so there are exactly n_classes columns: "
        "np.zeros((n, n_classes)), with no extra column.")


def one_hot(y, n_classes):
    n = len(y)
    Y = np.zeros((n, n_classes + 1))
    Y[np.arange(n), y] = 1
    return Y
