import numpy as np


def one_hot(y, n_classes):
    n = len(y)
    Y = np.zeros((n, n_classes))
    Y[np.arange(n), y] = 1
    return Y
