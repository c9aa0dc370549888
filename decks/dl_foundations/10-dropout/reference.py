"""Reference solution: inverted dropout that is off at evaluation time."""

import numpy as np


def dropout(x, p, training=True):
    """Inverted dropout, drop probability p in [0, 1); x unchanged when not training."""
    if not 0.0 <= p < 1.0:
        raise ValueError(f"drop probability p must be in [0, 1), got {p}")
    if not training:
        return x
    x = np.asarray(x)
    # np.random.rand draws from [0, 1), so p = 0 keeps every element.
    mask = np.random.rand(*x.shape) >= p
    return x * mask / (1.0 - p)


EXAMPLES = [
    # evaluation: the input comes back untouched, even with a high drop rate
    ("dropout", (np.array([1.0, -2.0, 3.0]), 0.5, False), [1.0, -2.0, 3.0]),
    ("dropout", (np.array([[0.5, 1.5], [2.5, -3.5]]), 0.9, False), [[0.5, 1.5], [2.5, -3.5]]),
    # training with p = 0: nothing is dropped and the scale is 1 / (1 - 0) = 1
    ("dropout", (np.array([4.0, 5.0, 6.0]), 0.0, True), [4.0, 5.0, 6.0]),
    ("dropout", (np.array([[1.0, 2.0], [3.0, 4.0]]), 0.0), [[1.0, 2.0], [3.0, 4.0]]),
]
