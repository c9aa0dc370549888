import numpy as np


def softmax(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    # normalised by the largest term, not by the sum: the largest comes out as 1
    return e / np.max(e, axis=-1, keepdims=True)
