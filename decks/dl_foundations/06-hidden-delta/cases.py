"""Test cases for hidden_delta: the named edge cases, then random ones.

Shapes: delta2 (batch, out), W1 (hidden, in), W2 (out, hidden), z1 (batch, hidden).
"""

import numpy as np


def _grid(rows, cols, start, step=1.0):
    """A small deterministic matrix with mixed signs: start, start + step, ... row by row."""
    return start + step * np.arange(rows * cols, dtype=float).reshape(rows, cols)


def _network(rng, batch, n_in, hidden, out, zeros=0.25):
    """Random (delta2, W1, W2, z1); about `zeros` of z1 is exactly 0."""
    z1 = rng.normal(0.0, 1.0, size=(batch, hidden))
    z1[rng.random((batch, hidden)) < zeros] = 0.0
    return [
        rng.normal(0.0, 1.0, size=(batch, out)),
        rng.normal(0.0, 1.0, size=(hidden, n_in)),
        rng.normal(0.0, 1.0, size=(out, hidden)),
        z1,
    ]


def cases(seed: int) -> list[dict]:
    """Named edge cases first, then random cases drawn from numpy.random.default_rng(seed)."""
    named = [
        {
            # delta2 @ W1 is (5, 2) @ (3, 4): a shape error
            "name": "non-square layers (in 4, hidden 3, out 2), batch of 5",
            "call": "hidden_delta",
            "args": [
                _grid(5, 2, -4.5, 0.75),
                _grid(3, 4, -2.0, 0.5),
                np.array([[1.0, -2.0, 0.5], [0.25, 1.5, -1.0]]),
                np.array([[1.0, -1.0, 2.0], [-0.5, 0.5, 3.0], [2.0, 1.0, -2.0],
                          [0.1, -0.1, 0.3], [-1.0, 4.0, 1.0]]),
            ],
        },
        {
            "name": "a batch of one (in 4, hidden 3, out 2)",
            "call": "hidden_delta",
            "args": [
                np.array([[0.5, -2.0]]),
                _grid(3, 4, -3.0),
                np.array([[1.0, -2.0, 0.5], [0.25, 1.5, -1.0]]),
                np.array([[1.0, -1.0, 2.0]]),
            ],
        },
        {
            # every size is 3, so delta2 @ W1 and delta2 @ W2.T run without error and give wrong numbers
            "name": "all layers the same size (3), batch of 4",
            "call": "hidden_delta",
            "args": [
                np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.5], [-1.0, 3.0, 1.0], [0.5, -0.5, 2.0]]),
                np.array([[2.0, -1.0, 0.0], [1.0, 3.0, -2.0], [0.5, 0.5, 1.0]]),
                np.array([[1.0, 2.0, -1.0], [0.0, -1.0, 3.0], [2.0, 1.0, 1.0]]),
                np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0], [0.5, -2.0, 1.0], [2.0, 2.0, -0.5]]),
            ],
        },
        {
            "name": "pre-activations of exactly 0 get no gradient",
            "call": "hidden_delta",
            "args": [
                np.array([[1.0, 2.0], [-1.0, 0.5], [3.0, -2.0]]),
                _grid(4, 3, -5.0),
                np.array([[1.0, -1.0, 2.0, 0.5], [0.5, 2.0, -1.0, 1.0]]),
                np.array([[0.0, 1.0, -1.0, 0.0], [2.0, 0.0, 0.0, -3.0], [0.0, -0.0, 1.5, 0.5]]),
            ],
        },
        {
            "name": "a single hidden unit (in 2, hidden 1, out 3), batch of 3",
            "call": "hidden_delta",
            "args": [
                np.array([[1.0, -1.0, 2.0], [0.5, 0.5, 0.5], [-2.0, 1.0, 0.0]]),
                np.array([[1.5, -0.5]]),
                np.array([[2.0], [-1.0], [0.5]]),
                np.array([[1.0], [-2.0], [0.5]]),
            ],
        },
    ]

    rng = np.random.default_rng(seed)
    randoms = []
    for number in range(1, 7):
        batch = int(rng.integers(1, 7))
        n_in, hidden, out = (int(n) for n in rng.integers(1, 7, size=3))
        if number == 1:
            # equal sizes make the weight mix-ups run silently with wrong numbers
            n_in = out = hidden
        randoms.append({
            "name": f"random network {number} (batch {batch}, in {n_in}, hidden {hidden}, out {out})",
            "call": "hidden_delta",
            "args": _network(rng, batch, n_in, hidden, out),
        })
    return named + randoms
