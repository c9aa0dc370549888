import numpy as np


def hidden_delta(delta2, W1, W2, z1):
    return np.dot(delta2, W1) * (z1 > 0)
