import numpy as np


def mse(y_true, y_pred):
    # symmetric, so the swap does not show here...
    return float(np.mean((y_pred - y_true) ** 2))


def mse_grad(y_true, y_pred):
    # ...but here the gradient comes out with the wrong sign
    return 2 * (y_pred - y_true) / y_pred.size
