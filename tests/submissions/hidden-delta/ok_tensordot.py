import numpy as np


def hidden_delta(delta2, W1, W2, z1):
    # contract the output axis of delta2 with the output axis of W2 (out_features, in_features)
    upstream = np.tensordot(delta2, W2, axes=([1], [0]))
    return upstream * np.heaviside(z1, 0.0)
