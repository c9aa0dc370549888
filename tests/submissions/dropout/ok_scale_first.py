import numpy as np


def dropout(x, p, training=True):
    if training is False:
        return x
    scale = 1.0 / (1.0 - p)
    dropped = np.random.uniform(0.0, 1.0, size=np.shape(x)) < p
    out = x * scale
    out[dropped] = 0.0
    return out
