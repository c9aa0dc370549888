"""Allocates and touches 8 GiB inside relu (np.ones writes every page; np.zeros would not)."""
import numpy as np


def relu(z):
    big = np.ones((1024, 1024, 1024))
    return np.maximum(z, 0) + 0 * big[0, 0, 0]


def relu_backward(dout, z):
    return dout * (z > 0)
