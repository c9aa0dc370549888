import numpy as np

HINT = ("len(y_pred) counts only the rows of a 2-D batch; the loss is the mean over every element, so "
        "divide the sum by y_pred.size (or use np.mean).")


def mse(y_pred, y_true):
    return float(np.sum((y_pred - y_true) ** 2) / len(y_pred))


def mse_grad(y_pred, y_true):
    return 2 * (y_pred - y_true) / y_pred.size
