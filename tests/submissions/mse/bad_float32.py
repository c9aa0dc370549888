import numpy as np


def mse(y_pred, y_true):
    e = (y_pred - y_true).astype(np.float32)
    return np.float32(np.mean(e * e))


def mse_grad(y_pred, y_true):
    e = (y_pred - y_true).astype(np.float32)
    return np.float32(2.0) * e / np.float32(e.size)
