import numpy as np

HINT = ("That is the mean absolute error; mse squares each error before averaging: "
        "np.mean((y_pred - y_true) ** 2).")


def mse(y_pred, y_true):
    return float(np.mean(np.abs(y_pred - y_true)))


def mse_grad(y_pred, y_true):
    return 2 * (y_pred - y_true) / y_pred.size
