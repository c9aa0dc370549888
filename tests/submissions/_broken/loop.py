"""Never returns: a pure-Python infinite loop inside relu."""
import numpy as np


def relu(z):
    while True:
        pass


def relu_backward(dout, z):
    return dout * (z > 0)
