import numpy as np

HINT = ("The result must be a float array (the targets for cross-entropy), not integers: leave out "
        "dtype=int (np.zeros and np.eye give floats by default) or convert with .astype(float).")


def one_hot(y, n_classes):
    n = len(y)
    Y = np.zeros((n, n_classes), dtype=int)
    Y[np.arange(n), y] = 1
    return Y
