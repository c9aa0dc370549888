import numpy as np

_MASKS = {}


def dropout(x, p, training=True):
    if not training:
        return x
    # one mask per shape, drawn once: every later call drops the same units
    key = (x.shape, p)
    if key not in _MASKS:
        _MASKS[key] = np.random.rand(*x.shape) >= p
    return x * _MASKS[key] / (1 - p)
