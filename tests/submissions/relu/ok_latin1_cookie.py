# -*- coding: latin-1 -*-
"""ReLU, saved by an editor set to Latin-1: « façade », « naïve », 25 °C."""
import numpy as np

NOTE = "élément par élément: zéro là où z <= 0"


def relu(z):
    # max(z, 0) élément par élément
    return np.maximum(z, 0.0)


def relu_backward(dout, z):
    # pas de gradient à z = 0 (ni en dessous)
    return dout * (z > 0)
