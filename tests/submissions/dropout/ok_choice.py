import numpy as np


def dropout(x, p, training=True):
    if not training:
        return x
    # 0 with probability p, 1 with probability 1 - p
    keep = np.random.choice([0.0, 1.0], size=np.shape(x), p=[p, 1.0 - p])
    return x * keep / (1.0 - p)
