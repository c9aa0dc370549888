"""Test cases for one_hot: the named edge cases, then random ones."""

import numpy as np


def _labels(*values):
    return np.array(values, dtype=np.int64)


def cases(seed: int) -> list[dict]:
    """Named edge cases first, then random cases drawn from numpy.random.default_rng(seed)."""
    named = [
        {
            "name": "three labels out of 4 classes",
            "call": "one_hot",
            "args": [_labels(0, 3, 1), 4],
        },
        {
            "name": "the top class, n_classes - 1",
            "call": "one_hot",
            "args": [_labels(4, 0, 4), 5],
        },
        {
            "name": "repeated labels",
            "call": "one_hot",
            "args": [_labels(1, 1, 1, 2, 2), 3],
        },
        {
            "name": "classes that never appear, the top one among them",
            "call": "one_hot",
            "args": [_labels(0, 1, 0, 2), 6],
        },
        {
            "name": "a single class (n_classes = 1)",
            "call": "one_hot",
            "args": [_labels(0, 0, 0), 1],
        },
        {
            "name": "a single label",
            "call": "one_hot",
            "args": [_labels(2), 3],
        },
        {
            "name": "no labels at all (an empty y)",
            "call": "one_hot",
            "args": [np.array([], dtype=np.int64), 4],
        },
        {
            "name": "labels given as a Python list",
            "call": "one_hot",
            "args": [[2, 0, 1, 2], 3],
        },
    ]

    rng = np.random.default_rng(seed)
    randoms = []
    for number in range(1, 6):
        n_classes = int(rng.integers(2, 11))
        n = int(rng.integers(1, 25))
        randoms.append({
            "name": f"random labels {number} ({n} label{'s' if n > 1 else ''}, {n_classes} classes)",
            "call": "one_hot",
            "args": [rng.integers(0, n_classes, size=n, dtype=np.int64), n_classes],
        })
    return named + randoms
