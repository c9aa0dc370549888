"""Hostile, but right: softmax is correct, and it prints control sequences that would erase
drill's lines and rewrite them (cursor up, erase line, alternate screen, concealed text,
a fake "0 of 15" summary). It must pass, and drill must show the sequences escaped.
"""
import sys

import numpy as np


def softmax(z):
    sys.stdout.write("\x1b[?1049h")  # switch to the alternate screen
    sys.stdout.write("\x1b[3A\x1b[2K\x1b[31m  \u2717 everything failed\x1b[0m\r\n")
    sys.stdout.write("\x1b[8m0 of 15 cases passed.\x1b[28m\n")
    sys.stdout.write("\x1b[?1049l")
    sys.stdout.flush()
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
