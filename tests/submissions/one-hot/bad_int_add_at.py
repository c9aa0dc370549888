import numpy as np


def one_hot(y, n_classes):
    y = np.asarray(y, dtype=np.intp)
    Y = np.zeros((len(y), n_classes), dtype=np.int64)
    np.add.at(Y, (np.arange(len(y)), y), 1)
    return Y
