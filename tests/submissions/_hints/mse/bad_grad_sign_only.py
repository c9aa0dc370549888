import numpy as np


def mse(y_pred, y_true):
    return float(np.mean((y_true - y_pred) ** 2))


def mse_grad(y_pred, y_true):
    return 2 * (y_true - y_pred) / y_pred.size
