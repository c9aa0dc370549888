import numpy as np


def hidden_delta(delta2, W1, W2, z1):
    da1 = (W2.T @ delta2.T).T
    return da1 * np.heaviside(z1, 0.0)
