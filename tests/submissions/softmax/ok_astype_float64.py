import numpy as np


def softmax(z):
    z = z.astype(np.float64)
    last = z.ndim - 1
    shifted = np.subtract(z, z.max(axis=last, keepdims=True))
    e = np.exp(shifted)
    return (e / e.sum(axis=last, keepdims=True)).astype(np.float64)
