"""Prints 50 MB to stdout inside relu, then returns the right answer."""
import sys

import numpy as np

LINE = "x" * 1023 + "\n"


def relu(z):
    for _ in range(50 * 1024):
        sys.stdout.write(LINE)
    sys.stdout.flush()
    return np.maximum(z, 0)


def relu_backward(dout, z):
    return dout * (z > 0)
