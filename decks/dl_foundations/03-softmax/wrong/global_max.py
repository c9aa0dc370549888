import numpy as np

HINT = ("Subtract each row's own maximum (np.max(z, axis=-1, keepdims=True)), not the maximum of the "
        "whole array: rows far below the global maximum underflow to 0 / 0.")


def softmax(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e, axis=-1, keepdims=True)
