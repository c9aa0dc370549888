import numpy as np


def one_hot(y, n_classes):
    y = np.asarray(y, dtype=np.intp)
    Y = np.zeros((len(y), n_classes))
    # flat index of (i, y[i]) in a C-ordered (n, n_classes) array
    np.put(Y, np.arange(len(y)) * n_classes + y, 1.0)
    return Y
