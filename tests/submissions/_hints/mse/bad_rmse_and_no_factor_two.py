import numpy as np


def mse(y_pred, y_true):
    return float(np.sqrt(np.mean(np.square(y_pred - y_true))))


def mse_grad(y_pred, y_true):
    return (y_pred - y_true) / y_pred.size
