from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray


class Softmax:
    """Softmax over the last axis, shifted by the row maximum."""

    axis: ClassVar[int] = -1

    def __call__(self, z: ArrayLike) -> NDArray[np.float64]:
        z = np.asarray(z, dtype=np.float64)
        shifted = z - z.max(axis=self.axis, keepdims=True)
        e = np.exp(shifted)
        return e / e.sum(axis=self.axis, keepdims=True)


softmax = Softmax()
