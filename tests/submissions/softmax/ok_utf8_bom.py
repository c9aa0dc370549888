# softmax(z)ᵢ = exp(zᵢ − max z) / Σⱼ exp(zⱼ − max z)
import numpy as np


def softmax(z):
    m = z.max(axis=-1, keepdims=True)
    e = np.exp(z - m)
    return e / e.sum(axis=-1, keepdims=True)
