from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class ReLU:
    """A ReLU layer; the threshold is where the gradient starts to flow."""

    threshold: float = 0.0

    def forward(self, z: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.where(z > self.threshold, z, 0.0)

    def backward(self, dout: NDArray[np.float64], z: NDArray[np.float64]) -> NDArray[np.float64]:
        return dout * (z > self.threshold)


_LAYER = ReLU()


def relu(z: NDArray[np.float64]) -> NDArray[np.float64]:
    return _LAYER.forward(z)


def relu_backward(dout: NDArray[np.float64], z: NDArray[np.float64]) -> NDArray[np.float64]:
    return _LAYER.backward(dout, z)
