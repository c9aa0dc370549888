"""Grows a Python list without bound inside relu, about 1 GB every few seconds."""
import numpy as np


def relu(z):
    hoard = []
    i = 0
    while True:
        hoard.append([i] * 100)
        i += 1


def relu_backward(dout, z):
    return dout * (z > 0)
