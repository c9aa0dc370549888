import numpy as np


def one_hot(y, n_classes):
    y = np.asarray(y, dtype=np.intp)
    Y = np.zeros((len(y), n_classes))
    # counts classes from 1: every 1 lands one column to the right (the top class wraps to 0)
    Y[np.arange(len(y)), (y + 1) % n_classes] = 1.0
    return Y
