"""Hostile: right functions, but at import it fills the current folder with FIFOs and
symlinks to /dev/zero under every name a worker may give its results (result_*.npy and
out/c<i>-<k>*.npy|json). Reading a FIFO with no writer blocks forever and /dev/zero never
ends: drill must neither hang nor read without bound. Its verdict may go either way.
"""
import os

import numpy as np

MARKER = "@@MARKER@@"


def _names():
    names = [f"result_{i}_{k}.npy" for i in range(40) for k in range(4)]
    for i in range(40):
        for k in range(4):
            names += [f"out/c{i}-{k}{end}" for end in (".npy", ".json", "-a0.npy", "-a1.npy", "-k0.npy")]
    return names


def _plant():
    if "@@" in MARKER:
        return  # not set up by the test: do nothing
    try:
        os.makedirs("out", exist_ok=True)
    except OSError:
        pass
    for n, name in enumerate(_names()):
        try:
            if n % 2 == 0:
                os.mkfifo(name)
            else:
                os.symlink("/dev/zero", name)
        except OSError:
            pass


_plant()


def relu(z):
    return np.maximum(z, 0)


def relu_backward(dout, z):
    return dout * (z > 0)
