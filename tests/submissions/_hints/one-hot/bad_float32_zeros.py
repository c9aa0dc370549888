import numpy as np


def one_hot(y, n_classes):
    Y = np.zeros((len(y), n_classes), dtype=np.float32)
    Y[np.arange(len(y)), y] = 1
    return Y
