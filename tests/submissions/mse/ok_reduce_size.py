import functools
import operator

import numpy as np


def _count(shape):
    return functools.reduce(operator.mul, shape, 1)


def mse(y_pred, y_true):
    diff = np.subtract(y_pred, y_true)
    return float(np.sum(diff ** 2) / _count(diff.shape))


def mse_grad(y_pred, y_true):
    diff = np.subtract(y_pred, y_true)
    return 2 * diff / _count(diff.shape)
