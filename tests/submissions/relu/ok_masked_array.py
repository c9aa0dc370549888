import numpy as np


def relu(z):
    # mask the negatives, then fill the holes with 0; filled() gives a plain ndarray back
    return np.ma.masked_less(z, 0.0).filled(0.0)


def relu_backward(dout, z):
    return np.ma.masked_where(z <= 0, dout).filled(0.0)
