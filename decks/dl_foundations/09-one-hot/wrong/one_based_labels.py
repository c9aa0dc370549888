import numpy as np

HINT = ("Labels count from 0 here, so label y[i] goes in column y[i], not y[i] - 1 (which puts a "
        "label 0 in the last column).")


def one_hot(y, n_classes):
    y = np.asarray(y)
    n = len(y)
    Y = np.zeros((n, n_classes))
    Y[np.arange(n), y - 1] = 1.0
    return Y
