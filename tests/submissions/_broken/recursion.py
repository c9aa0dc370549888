"""Recurses without end inside relu (Python raises RecursionError)."""
import numpy as np


def relu(z):
    return relu(z)


def relu_backward(dout, z):
    return dout * (z > 0)
