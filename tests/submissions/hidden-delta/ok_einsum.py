import numpy as np


def hidden_delta(delta2, W1, W2, z1):
    da1 = np.einsum("bo,oh->bh", delta2, W2)
    relu_slope = (z1 > 0).astype(float)
    return da1 * relu_slope
