"""Reference solution: numerically stable softmax."""

import numpy as np


def softmax(z):
    """Softmax over the last axis; subtracting the row maximum keeps exp() finite."""
    z = np.asarray(z, dtype=float)
    shifted = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


EXAMPLES = [
    ("softmax", (np.array([0.0, 0.0]),), [0.5, 0.5]),
    # 1/(1+e) and e/(1+e)
    ("softmax", (np.array([1000.0, 1001.0]),), [0.2689414213699951, 0.7310585786300049]),
    ("softmax", (np.array([-1000.0, -1000.0]),), [0.5, 0.5]),
    # e^0 : e^{ln 3} = 1 : 3
    ("softmax", (np.array([[0.0, np.log(3.0)], [1000.0, 1000.0]]),), [[0.25, 0.75], [0.5, 0.5]]),
    ("softmax", (np.array([[1.0, 1.0, 1.0, 1.0], [-5.0, -5.0, -5.0, -5.0]]),),
     [[0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25]]),
]
