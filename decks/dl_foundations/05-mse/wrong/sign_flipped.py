import numpy as np

HINT = ("The gradient with respect to y_pred is 2 * (y_pred - y_true) / n: with y_true - y_pred, "
        "gradient descent would move the predictions away from the targets.")


def mse(y_pred, y_true):
    return float(np.mean((y_pred - y_true) ** 2))


def mse_grad(y_pred, y_true):
    return 2 * (y_true - y_pred) / y_pred.size
