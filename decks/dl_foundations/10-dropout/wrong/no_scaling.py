import numpy as np

HINT = ("Inverted dropout divides the kept units by 1 - p while training, so that the expected output "
        "equals x: return x * mask / (1 - p).")


def dropout(x, p, training=True):
    if not training:
        return x
    mask = np.random.rand(*x.shape) >= p
    return x * mask
