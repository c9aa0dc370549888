import numpy as np


def hidden_delta(delta2, W2, W1, z1):
    # the weights arrive as (W1, W2): the second parameter here is really W1
    return (delta2 @ W2) * (z1 > 0)
