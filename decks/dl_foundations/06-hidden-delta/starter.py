import numpy as np


def hidden_delta(delta2, W1, W2, z1):
    """Return delta1 = dL/dz1, shape (batch, hidden).

    Weights are stored as (out_features, in_features); the forward pass is
    z1 = x @ W1.T + b1, a1 = relu(z1), z2 = a1 @ W2.T + b2,
    and delta2 = dL/dz2 has shape (batch, out).
    """
    delta1 = (delta2 @ W1) * (z1 > 0)
    return delta1
