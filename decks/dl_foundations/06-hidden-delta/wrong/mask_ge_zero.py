import numpy as np

HINT = "A pre-activation of exactly 0 gets no gradient: the ReLU mask is (z1 > 0), not (z1 >= 0)."


def hidden_delta(delta2, W1, W2, z1):
    return (delta2 @ W2) * (z1 >= 0)
