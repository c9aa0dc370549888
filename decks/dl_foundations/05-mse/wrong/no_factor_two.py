import numpy as np

HINT = "The derivative of e^2 is 2e: the gradient is 2 * (y_pred - y_true) / n, with the factor 2."


def mse(y_pred, y_true):
    return float(np.mean((y_pred - y_true) ** 2))


def mse_grad(y_pred, y_true):
    return (y_pred - y_true) / y_pred.size
