import numpy as np

HINT = ("The loss is the mean of the squared errors, not their sum: divide by n, the number of elements "
        "(np.mean does it), and the gradient then carries the same 1/n.")


def mse(y_pred, y_true):
    return float(np.sum((y_pred - y_true) ** 2))


def mse_grad(y_pred, y_true):
    return 2 * (y_pred - y_true)
