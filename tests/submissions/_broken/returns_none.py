"""Computes the right values but forgets to return them."""
import numpy as np


def relu(z):
    np.maximum(z, 0)


def relu_backward(dout, z):
    dout * (z > 0)
