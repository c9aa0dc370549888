import numpy as np

HINT = ("That is half the mean squared error (the 1/2 convention of some textbooks); here mse is the "
        "plain mean of the squared errors, and its gradient is 2 * (y_pred - y_true) / n.")


def mse(y_pred, y_true):
    return float(0.5 * np.mean((y_pred - y_true) ** 2))


def mse_grad(y_pred, y_true):
    return (y_pred - y_true) / y_pred.size
