import numpy as np

HINT = ("Shifting by the mean still lets exp overflow when a row spans a wide range; shift by the row "
        "maximum instead, so every exponent is at most 0.")


def softmax(z):
    e = np.exp(z - np.mean(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
