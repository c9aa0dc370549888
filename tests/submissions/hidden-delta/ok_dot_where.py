import numpy as np


def hidden_delta(delta2, W1, W2, z1):
    da1 = delta2.dot(W2)            # (batch, out) x (out, hidden)
    return np.where(z1 > 0, da1, 0.0)
