from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class OneHotEncoder:
    n_classes: int

    def encode(self, labels: Sequence[int] | NDArray[np.int64]) -> NDArray[np.float64]:
        labels = np.asarray(labels, dtype=np.intp)
        encoded = np.zeros((labels.size, self.n_classes), dtype=np.float64)
        encoded[np.arange(labels.size), labels] = 1.0
        return encoded


def one_hot(y: Sequence[int] | NDArray[np.int64], n_classes: int) -> NDArray[np.float64]:
    return OneHotEncoder(n_classes).encode(y)
