import numpy as np


def dropout(x, p, training=True):
    if training:
        keep = (np.random.uniform(low=0.0, high=1.0, size=x.shape) >= p).astype(np.float64)
        return (x * keep) * (1.0 / (1.0 - p))
    return x
