"""Ends the process with status 0 inside relu, before any result is sent: not a pass."""
import os

import numpy as np


def relu(z):
    os._exit(0)


def relu_backward(dout, z):
    return dout * (z > 0)
