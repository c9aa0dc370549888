import numpy as np


def mse(y_pred, y_true):
    e = y_pred.astype(np.float64) - y_true.astype(np.float64)
    return np.float64((e * e).mean())


def mse_grad(y_pred, y_true):
    e = y_pred.astype(np.float64) - y_true.astype(np.float64)
    return (2.0 / e.size * e).astype(np.float64)
