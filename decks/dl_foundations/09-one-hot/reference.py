"""Reference solution: one-hot encoding with advanced indexing."""

import numpy as np


def one_hot(y, n_classes):
    """Float array (len(y), n_classes) with a single 1 per row, at column y[i]."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be a 1-D array of labels, got shape {y.shape}")
    if y.size and not np.all(y == np.round(y)):
        raise ValueError("labels must be whole numbers")
    y = y.astype(np.intp)
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}")
    n = y.shape[0]
    Y = np.zeros((n, n_classes), dtype=float)
    Y[np.arange(n), y] = 1.0
    return Y


EXAMPLES = [
    ("one_hot", (np.array([0, 2, 1]), 3), [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]),
    ("one_hot", (np.array([1, 1]), 2), [[0.0, 1.0], [0.0, 1.0]]),
    ("one_hot", (np.array([0, 0, 0]), 1), [[1.0], [1.0], [1.0]]),
    ("one_hot", (np.array([3]), 5), [[0.0, 0.0, 0.0, 1.0, 0.0]]),
]
