import numpy as np

HINT = ("The last label was never encoded: range(len(y) - 1) stops one row short; loop over "
        "range(len(y)), or set every row at once with Y[np.arange(n), y] = 1.")


def one_hot(y, n_classes):
    Y = np.zeros((len(y), n_classes))
    for i in range(len(y) - 1):
        Y[i, y[i]] = 1.0
    return Y
