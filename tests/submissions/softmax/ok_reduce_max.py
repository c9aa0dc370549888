import functools

import numpy as np


def softmax(z):
    # the row maximum, column by column
    columns = np.moveaxis(z, -1, 0)
    top = functools.reduce(np.maximum, columns)
    e = np.exp(z - top[..., np.newaxis])
    return e / e.sum(axis=-1, keepdims=True)
