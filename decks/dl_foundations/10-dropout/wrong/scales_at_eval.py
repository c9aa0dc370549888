import numpy as np

HINT = ("With inverted dropout the scaling happens during training (divide the kept units by 1 - p), "
        "so evaluation returns x exactly as it is, with no factor 1 - p.")


def dropout(x, p, training=True):
    if not training:
        return x * (1 - p)
    mask = np.random.rand(*x.shape) >= p
    return x * mask
