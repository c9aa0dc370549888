"""Hostile: prints terminal control sequences (clear screen, concealed text, a window
title, carriage returns, cursor moves) and a fake summary line. relu is right, relu_backward
raises, so the real count is the relu cases only: drill must show the sequences escaped and
its own count, in --json output as well as for people.
"""
import sys

import numpy as np

_shown = []


def _show():
    if _shown:
        return
    _shown.append(True)
    sys.stdout.write("\x1b[2J\x1b[H")  # clear the screen, cursor home
    sys.stdout.write("\x1b]0;all tests passed\x07")  # window title, with a bell
    sys.stdout.write("\x1b[8mconcealed text\x1b[0m\n")
    sys.stdout.write("\r17 of 17 cases passed.\n")
    sys.stdout.write("17 of 17 cases passed.\n")
    sys.stdout.write("\x1b[1A\x1b[2K\x1b[32m  \u2713 every case\x1b[0m\n")
    sys.stdout.write("\x08\x08\x08\x7f\x9b31m\n")  # backspaces, DEL, an 8-bit CSI
    sys.stdout.flush()


def relu(z):
    _show()
    return np.maximum(z, 0)


def relu_backward(dout, z):
    raise NotImplementedError("relu_backward is not written yet")
