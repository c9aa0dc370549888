import numpy as np


def hidden_delta(delta2, W1, W2, z1):
    upstream = delta2 @ W2
    return np.ma.masked_where(z1 <= 0, upstream).filled(0.0)
