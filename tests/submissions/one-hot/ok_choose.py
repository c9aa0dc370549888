import numpy as np


def one_hot(y, n_classes):
    # row y[i] of the identity, picked element by element
    labels = np.asarray(y, dtype=np.intp)[:, np.newaxis]
    return np.choose(labels, np.eye(n_classes))
