"""Sleeps for an hour inside relu."""
import time

import numpy as np


def relu(z):
    time.sleep(3600)
    return np.maximum(z, 0)


def relu_backward(dout, z):
    return dout * (z > 0)
