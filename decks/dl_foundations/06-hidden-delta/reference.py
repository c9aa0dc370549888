"""Reference solution: the hidden-layer delta of a two-layer ReLU network."""

import numpy as np


def hidden_delta(delta2, W1, W2, z1):
    """delta1 = (delta2 @ W2) * (z1 > 0), shape (batch, hidden)."""
    # W1 is not needed for delta1. Its gradient dW1 = delta1.T @ x does not use W1's
    # values either; they only carry the error on to the input, as delta1 @ W1.
    delta2 = np.asarray(delta2, dtype=float)
    W2 = np.asarray(W2, dtype=float)
    z1 = np.asarray(z1, dtype=float)
    return (delta2 @ W2) * (z1 > 0)


EXAMPLES = [
    # batch 1, in 2, hidden 3, out 1: [[0.5]] @ [[1, -2, 3]] = [[0.5, -1, 1.5]], mask [1, 0, 1]
    (
        "hidden_delta",
        (
            np.array([[0.5]]),
            np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]),
            np.array([[1.0, -2.0, 3.0]]),
            np.array([[1.0, -1.0, 2.0]]),
        ),
        [[0.5, 0.0, 1.5]],
    ),
    # batch 2, all sizes 2 (the buggy delta2 @ W1 runs here but gives [[4, 6], [6, 8]] before masking)
    # delta2 @ W2 = [[3, 1], [4, 2]], mask [[1, 1], [0, 1]]
    (
        "hidden_delta",
        (
            np.array([[1.0, 1.0], [0.0, 2.0]]),
            np.array([[1.0, 2.0], [3.0, 4.0]]),
            np.array([[1.0, 0.0], [2.0, 1.0]]),
            np.array([[1.0, 1.0], [-1.0, 3.0]]),
        ),
        [[3.0, 1.0], [0.0, 2.0]],
    ),
    # a pre-activation of exactly 0 gets no gradient: [[2]] @ [[1, 1]] = [[2, 2]], mask [0, 1]
    (
        "hidden_delta",
        (
            np.array([[2.0]]),
            np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
            np.array([[1.0, 1.0]]),
            np.array([[0.0, 0.5]]),
        ),
        [[0.0, 2.0]],
    ),
    # batch 2, in 1, hidden 2, out 3: delta2 @ W2 = [[1, 2], [-1, -4]], mask [[1, 0], [1, 1]]
    (
        "hidden_delta",
        (
            np.array([[1.0, 0.0, 0.0], [0.0, 1.0, -1.0]]),
            np.array([[1.0], [-1.0]]),
            np.array([[1.0, 2.0], [1.0, 1.0], [2.0, 5.0]]),
            np.array([[0.3, -0.2], [4.0, 0.1]]),
        ),
        [[1.0, 0.0], [-1.0, -4.0]],
    ),
]
