import numpy as np


def one_hot(y, n_classes):
    rows = [[1.0 if column == label else 0.0 for column in range(n_classes)] for label in y]
    return np.array(rows, dtype=float).reshape(len(rows), n_classes)
