import numpy as np


def mse(y_pred, y_true):
    e = (y_pred - y_true).ravel()
    return float(e @ e) / e.size


def mse_grad(y_pred, y_true):
    e = y_pred - y_true
    return e * (2.0 / e.size)
