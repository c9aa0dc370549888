import numpy as np

HINT = ("The error must also pass back through the ReLU: multiply delta2 @ W2 by its slope, the mask "
        "(z1 > 0).")


def hidden_delta(delta2, W1, W2, z1):
    return delta2 @ W2
