from dataclasses import dataclass

import numpy as np


@dataclass
class Dropout:
    """Inverted dropout; p is the probability of dropping a unit."""

    p: float
    training: bool = True

    def __call__(self, x: np.ndarray) -> np.ndarray:
        if not self.training:
            return x
        keep = np.random.rand(*x.shape) >= self.p
        return x * keep / (1.0 - self.p)


def dropout(x: np.ndarray, p: float, training: bool = True) -> np.ndarray:
    return Dropout(p=p, training=training)(x)
