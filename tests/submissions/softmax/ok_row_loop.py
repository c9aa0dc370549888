import numpy as np


def _one_row(row):
    e = np.exp(row - np.max(row))
    return e / np.sum(e)


def softmax(z):
    z = np.asarray(z, dtype=float)
    if z.ndim == 1:
        return _one_row(z)
    out = np.empty(z.shape)
    for i in range(z.shape[0]):
        out[i] = _one_row(z[i])
    return out
