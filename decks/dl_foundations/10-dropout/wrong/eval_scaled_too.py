import numpy as np

HINT = ("In evaluation mode return x exactly as it is: dividing the kept units by 1 - p during "
        "training already keeps the expected output equal to x, so do not also multiply by 1 - p.")


def dropout(x, p, training=True):
    if not training:
        return x * (1 - p)
    mask = np.random.rand(*x.shape) >= p
    return x * mask / (1 - p)
