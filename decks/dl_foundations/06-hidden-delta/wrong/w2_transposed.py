import numpy as np

HINT = ("W2 has shape (out, hidden) and the forward pass multiplied by W2.T, so the backward pass "
        "multiplies by W2 itself: delta2 @ W2 has shape (batch, hidden).")


def hidden_delta(delta2, W1, W2, z1):
    return (delta2 @ W2.T) * (z1 > 0)
