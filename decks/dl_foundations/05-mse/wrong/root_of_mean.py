import numpy as np

HINT = "That is the root mean squared error; mse is the mean of the squared errors, with no square root."


def mse(y_pred, y_true):
    return float(np.sqrt(np.mean((y_pred - y_true) ** 2)))


def mse_grad(y_pred, y_true):
    return 2 * (y_pred - y_true) / y_pred.size
