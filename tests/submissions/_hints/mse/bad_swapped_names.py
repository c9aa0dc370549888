import numpy as np


def mse(y_true, y_pred):
    return float(np.mean((y_pred - y_true) ** 2))


def mse_grad(y_true, y_pred):
    return 2 * (y_pred - y_true) / y_pred.size
