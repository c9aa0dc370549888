"""Test cases for softmax: the named edge cases, then random ones."""

import numpy as np

# Softmax outputs are probabilities in [0, 1]; a stable implementation agrees with the
# reference to a few units in the last place, so the tolerances can be tight.
TIGHT = {"rtol": 1e-9, "atol": 1e-12}


def cases(seed: int) -> list[dict]:
    """Named edge cases first, then random cases drawn from numpy.random.default_rng(seed)."""
    named = [
        {
            "name": "small logits, 1-D",
            "call": "softmax",
            "args": [np.array([1.0, 2.0, 3.0, -1.0])],
        },
        {
            "name": "logits near 1000",
            "call": "softmax",
            "args": [np.array([1000.0, 1001.0, 1002.0])],
        },
        {
            "name": "logits near -1000",
            "call": "softmax",
            "args": [np.array([-1000.0, -1001.0, -999.5])],
        },
        {
            "name": "a batch whose rows are on very different scales",
            "call": "softmax",
            "args": [np.array([
                [1000.0, 1001.0, 999.0],
                [-1000.0, -1002.0, -1001.0],
                [0.5, -0.5, 0.0],
            ])],
        },
        {
            "name": "a batch with more rows than classes",
            "call": "softmax",
            "args": [np.array([
                [1.0, 2.0, 3.0],
                [0.0, 0.0, 1.0],
                [-2.0, 0.5, 0.25],
                [3.0, -1.0, 0.0],
            ])],
        },
        {
            "name": "a row with a huge spread, from -1000 to 1000",
            "call": "softmax",
            "args": [np.array([[-1000.0, 0.0, 1000.0], [0.0, 1.0, 2.0]])],
        },
        {
            "name": "rows that are constant",
            "call": "softmax",
            "args": [np.array([
                [5.0, 5.0, 5.0, 5.0],
                [-1000.0, -1000.0, -1000.0, -1000.0],
                [1000.0, 1000.0, 1000.0, 1000.0],
            ])],
        },
        {
            "name": "a single class, shape (1,)",
            "call": "softmax",
            "args": [np.array([3.7])],
        },
        {
            "name": "a single class in a batch, shape (3, 1)",
            "call": "softmax",
            "args": [np.array([[-1000.0], [0.0], [1000.0]])],
        },
    ]

    rng = np.random.default_rng(seed)
    randoms = []
    for number in range(1, 7):
        scale = float(rng.choice([0.1, 1.0, 10.0, 50.0]))
        classes = int(rng.integers(2, 9))
        if number <= 2:
            shape = (classes,)
            offset = rng.uniform(-1000.0, 1000.0)
        else:
            rows = int(rng.integers(1, 7))
            shape = (rows, classes)
            # every row on its own scale, so a single global shift is not enough
            offset = rng.uniform(-1000.0, 1000.0, size=(rows, 1))
        randoms.append({
            "name": f"random logits {number}, shape {shape}",
            "call": "softmax",
            "args": [offset + rng.normal(0.0, scale, size=shape)],
        })
    return [dict(case, **TIGHT) for case in named + randoms]
