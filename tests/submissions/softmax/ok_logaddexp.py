import numpy as np


def softmax(z):
    # log-sum-exp without SciPy: logaddexp never forms exp() of a large number
    z = np.asarray(z, dtype=float)
    log_norm = np.logaddexp.reduce(z, axis=-1, keepdims=True)
    return np.exp(z - log_norm)
