# δ₁ = (δ₂ · W₂) ⊙ 1[z₁ > 0]
import numpy as np


def hidden_delta(delta2, W1, W2, z1):
    return np.dot(delta2, W2) * (z1 > 0).astype(np.float64)
