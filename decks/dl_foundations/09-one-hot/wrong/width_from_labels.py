import numpy as np

HINT = ("Take the width from n_classes, not from max(y) + 1: a class that does not appear in this "
        "batch still needs its column.")


def one_hot(y, n_classes):
    y = np.asarray(y)
    n = len(y)
    Y = np.zeros((n, y.max() + 1))
    Y[np.arange(n), y] = 1
    return Y
