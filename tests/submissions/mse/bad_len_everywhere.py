import numpy as np


def mse(y_pred, y_true):
    return float(np.sum((y_pred - y_true) ** 2) / len(y_pred))


def mse_grad(y_pred, y_true):
    return 2 * (y_pred - y_true) / len(y_pred)
