import numpy as np

HINT = ("W1 connects the input to the hidden layer, so it plays no part in delta1: the output error comes "
        "back through the layer-2 weights, delta2 @ W2, shape (batch, hidden).")


def hidden_delta(delta2, W1, W2, z1):
    return (delta2 @ W1.T) * (z1 > 0)
