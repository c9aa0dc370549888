import numpy as np


def mse(target, prediction):
    return float(np.mean((prediction - target) ** 2))


def mse_grad(target, prediction):
    return 2 * (prediction - target) / prediction.size
