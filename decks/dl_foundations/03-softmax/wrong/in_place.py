import numpy as np

HINT = ("softmax changed the caller's z (z -= ..., np.exp(z, out=z) and the like); the caller still "
        "needs its logits: compute into new arrays, e = np.exp(z - np.max(z, axis=-1, keepdims=True)).")


def softmax(z):
    z -= np.max(z, axis=-1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)
