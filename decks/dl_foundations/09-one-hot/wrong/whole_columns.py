import numpy as np

HINT = ("Y[:, y] = 1 sets whole columns, in every row; pair each row with its own label instead: "
        "Y[np.arange(n), y] = 1.")


def one_hot(y, n_classes):
    n = len(y)
    Y = np.zeros((n, n_classes))
    Y[:, y] = 1
    return Y
