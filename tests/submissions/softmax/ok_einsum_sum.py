import numpy as np


def softmax(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    total = np.einsum("...i->...", e)
    return e / total[..., np.newaxis]
