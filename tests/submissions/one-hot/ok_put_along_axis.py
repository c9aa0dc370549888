import numpy as np


def one_hot(y, n_classes):
    labels = np.asarray(y, dtype=np.intp).reshape(-1, 1)
    Y = np.zeros((labels.shape[0], n_classes))
    np.put_along_axis(Y, labels, 1.0, axis=1)
    return Y
