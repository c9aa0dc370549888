import numpy as np


def mse(y_pred, y_true):
    return float(np.mean((y_pred - y_true) ** 2))


def mse_grad(y_pred, y_true):
    batch = y_pred.shape[0]
    return 2 * (y_pred - y_true) / batch
