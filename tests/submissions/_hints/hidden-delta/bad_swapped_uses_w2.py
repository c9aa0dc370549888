import numpy as np


def hidden_delta(delta2, W2, W1, z1):
    """The weights in the order of the layers' names, not the design's."""
    return np.dot(delta2, W2) * (z1 > 0)
