import numpy as np


def hidden_delta(delta2, W1, W2, z1):
    upstream = delta2.astype(np.float32) @ W2.astype(np.float32)
    return upstream * (z1 > 0)
