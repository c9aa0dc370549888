import numpy as np

HINT = ("np.max(z, axis=-1) drops the last axis, so for a batch it no longer lines up with the rows; "
        "pass keepdims=True so that the row maxima broadcast across each row.")


def softmax(z):
    e = np.exp(z - np.max(z, axis=-1))
    return e / np.sum(e, axis=-1, keepdims=True)
