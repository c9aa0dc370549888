import numpy as np

HINT = ("The 1s are in the right places, but the array holds True/False (what a comparison such as "
        "y[:, None] == np.arange(n_classes) gives): the targets must be floats, so add .astype(float).")


def one_hot(y, n_classes):
    return np.asarray(y)[:, None] == np.arange(n_classes)
