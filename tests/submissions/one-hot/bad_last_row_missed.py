import numpy as np


def one_hot(y, n_classes):
    Y = np.zeros((len(y), n_classes))
    for i in range(len(y) - 1):
        Y[i, y[i]] = 1.0
    return Y
