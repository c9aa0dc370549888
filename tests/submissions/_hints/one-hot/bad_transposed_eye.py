import numpy as np


def one_hot(y, n_classes):
    return np.eye(n_classes)[:, np.asarray(y, dtype=np.intp)]
