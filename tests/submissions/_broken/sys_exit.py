"""Calls sys.exit(3) inside relu (raises SystemExit, which `except Exception` does not catch)."""
import sys

import numpy as np


def relu(z):
    sys.exit(3)


def relu_backward(dout, z):
    return dout * (z > 0)
