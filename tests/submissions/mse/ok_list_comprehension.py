import numpy as np


def mse(y_pred, y_true):
    squares = [(p - t) ** 2 for p, t in zip(np.ravel(y_pred), np.ravel(y_true))]
    return float(sum(squares) / len(squares))


def mse_grad(y_pred, y_true):
    n = np.size(y_pred)
    grads = [2.0 * (p - t) / n for p, t in zip(np.ravel(y_pred), np.ravel(y_true))]
    return np.array(grads).reshape(np.shape(y_pred))
