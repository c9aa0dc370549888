import numpy as np


def mse(y_pred, y_true):
    diff = np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float)
    return float((diff * diff).sum() / diff.size)


def mse_grad(y_pred, y_true):
    diff = np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float)
    return 2.0 * diff / diff.size
