import functools

import numpy as np


def hidden_delta(delta2, W1, W2, z1):
    upstream = functools.reduce(np.matmul, [delta2, W2])
    return upstream * (z1 > 0)
