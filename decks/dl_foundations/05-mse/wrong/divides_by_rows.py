import numpy as np

HINT = ("len(y_pred) counts only the rows of a 2-D batch; the mean runs over every element, so divide "
        "by y_pred.size.")


def mse(y_pred, y_true):
    return float(np.mean((y_pred - y_true) ** 2))


def mse_grad(y_pred, y_true):
    return 2 * (y_pred - y_true) / len(y_pred)
