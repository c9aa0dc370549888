import math

import numpy as np


def _row(values):
    top = max(values)
    exps = [math.exp(v - top) for v in values]
    total = sum(exps)
    return [e / total for e in exps]


def softmax(z):
    rows = np.atleast_2d(z)
    out = np.array([_row(list(row)) for row in rows], dtype=float)
    return out.reshape(np.shape(z))
