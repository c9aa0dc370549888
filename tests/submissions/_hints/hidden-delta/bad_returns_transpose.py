import numpy as np


def hidden_delta(delta2, W1, W2, z1):
    return ((delta2 @ W2) * (z1 > 0)).T
