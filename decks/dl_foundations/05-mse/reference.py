"""Reference solution: mean squared error and its gradient."""

import numpy as np


def _error(y_pred, y_true):
    """y_pred - y_true as floats, refusing shapes that would silently broadcast."""
    y_pred = np.asarray(y_pred, dtype=float)
    y_true = np.asarray(y_true, dtype=float)
    if y_pred.shape != y_true.shape:
        raise ValueError(f"y_pred has shape {y_pred.shape}, y_true has {y_true.shape}")
    return y_pred - y_true


def mse(y_pred, y_true):
    """Mean of the squared errors over all elements, as a Python float."""
    return float(np.mean(_error(y_pred, y_true) ** 2))


def mse_grad(y_pred, y_true):
    """Gradient of mse with respect to y_pred: 2 * (y_pred - y_true) / n."""
    error = _error(y_pred, y_true)
    return 2.0 * error / error.size


EXAMPLES = [
    ("mse", (np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0])), 0.0),
    ("mse", (np.array([2.0, 4.0]), np.array([0.0, 0.0])), 10.0),
    # (1 + 4 + 9 + 16) / 4
    ("mse", (np.array([[1.0, 2.0], [3.0, 4.0]]), np.zeros((2, 2))), 7.5),
    ("mse_grad", (np.array([2.0, 4.0]), np.array([0.0, 0.0])), [2.0, 4.0]),
    # 2 * e / 4 with e = [[1, 2], [3, 4]]
    ("mse_grad", (np.array([[1.0, 2.0], [3.0, 4.0]]), np.zeros((2, 2))), [[0.5, 1.0], [1.5, 2.0]]),
    # 2 * [-1, 0, 1.5] / 3
    ("mse_grad", (np.array([0.5, 1.5, 2.0]), np.array([1.5, 1.5, 0.5])), [-0.6666666666666666, 0.0, 1.0]),
]
