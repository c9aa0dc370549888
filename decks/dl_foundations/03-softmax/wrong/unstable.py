import numpy as np

HINT = ("np.exp overflowed: e^1000 is inf and inf / inf is nan. Subtract each row's maximum before "
        "exponentiating; the result does not change, and nothing can overflow.")


def softmax(z):
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)
