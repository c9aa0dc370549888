import numpy as np

HINT = ("The result must be a float array (the targets for cross-entropy): create it with "
        "np.zeros((n, n_classes)), which is float by default, not with dtype=int.")


def one_hot(y, n_classes):
    n = len(y)
    Y = np.zeros((n, n_classes), dtype=int)
    Y[np.arange(n), y] = 1
    return Y
