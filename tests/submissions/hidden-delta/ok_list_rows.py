import numpy as np


def hidden_delta(delta2, W1, W2, z1):
    # one example at a time: row b of delta2 times W2, masked by row b of z1
    rows = [(d @ W2) * (z > 0) for d, z in zip(delta2, z1)]
    return np.array(rows, dtype=float).reshape(z1.shape)
