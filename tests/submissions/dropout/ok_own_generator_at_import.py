import numpy as np

# Its own generator, seeded once at import. np.random.seed() does not steer these masks, but
# each call draws a fresh one with the right statistics, which is what dropout needs.
_RNG = np.random.default_rng(0)


def dropout(x, p, training=True):
    if not training:
        return x
    keep = _RNG.random(x.shape) >= p
    return x * keep / (1 - p)
