"""Right, but logs the loss computation line by line."""
import numpy as np


def mse(y_pred, y_true):
    diff = y_pred - y_true
    for i, value in enumerate(np.ravel(diff)[:12]):
        print(f"mse: error {i} = {value:.4f}")
    print(f"mse: {diff.size} elements in all")
    return float(np.mean(diff ** 2))


def mse_grad(y_pred, y_true):
    diff = y_pred - y_true
    for line in range(12):
        print(f"mse_grad: debug line {line}, shape {diff.shape}")
    return 2 * diff / diff.size
