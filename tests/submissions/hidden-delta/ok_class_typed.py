from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Matrix = NDArray[np.float64]


@dataclass
class TwoLayerNet:
    """Weights stored as (out_features, in_features)."""

    W1: Matrix
    W2: Matrix

    def hidden_delta(self, delta2: Matrix, z1: Matrix) -> Matrix:
        return (delta2 @ self.W2) * (z1 > 0)


def hidden_delta(delta2: Matrix, W1: Matrix, W2: Matrix, z1: Matrix) -> Matrix:
    return TwoLayerNet(W1=W1, W2=W2).hidden_delta(delta2, z1)
