"""Test cases for relu and relu_backward: the named edge cases, then random ones."""

import numpy as np


def _with_exact_zeros(rng, shape):
    """Normal draws with about a quarter of the entries set to exactly 0 (and some of those to -0.0)."""
    z = rng.normal(0.0, 2.0, size=shape)
    zero = rng.random(shape) < 0.25
    z[zero] = 0.0
    z[zero & (rng.random(shape) < 0.5)] = -0.0
    return z


def cases(seed: int) -> list[dict]:
    """Named edge cases first, then random cases drawn from numpy.random.default_rng(seed)."""
    named = [
        {
            "name": "relu at exactly 0 and -0.0",
            "call": "relu",
            "args": [np.array([-2.0, -0.0, 0.0, 0.5, 3.0])],
        },
        {
            "name": "relu leaves positive values as they are",
            "call": "relu",
            "args": [np.array([0.5, 2.0, 7.25])],
        },
        {
            "name": "relu of an all-negative input",
            "call": "relu",
            "args": [np.array([-3.0, -1.0, -0.5, -1e-12])],
        },
        {
            "name": "relu of a 2-D batch",
            "call": "relu",
            "args": [np.array([[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]])],
        },
        {
            "name": "relu of a 3-D input",
            "call": "relu",
            "args": [(np.arange(24.0).reshape(2, 3, 4) - 11.5) / 3.0],
        },
        {
            "name": "relu of very large and very small values",
            "call": "relu",
            "args": [np.array([1e200, -1e200, 1e-300, -1e-300, 5e-324, -5e-324])],
        },
        {
            "name": "relu_backward gives zero gradient at exactly z = 0",
            "call": "relu_backward",
            "args": [np.array([1.5, 2.0, 3.0, 4.0, 0.5]), np.array([-1.0, 0.0, -0.0, 2.0, 1e-300])],
        },
        {
            # the signs of dout follow z, so only the size of dout tells a mask from a gradient
            "name": "relu_backward passes on an upstream gradient that is not all ones",
            "call": "relu_backward",
            "args": [np.array([2.0, -3.0, 0.5, -7.0, 4.0]), np.array([1.0, -2.0, 3.0, -1.0, 0.25])],
        },
        {
            # dout > 0 everywhere: the mask has to come from z
            "name": "relu_backward blocks a positive upstream gradient where z < 0",
            "call": "relu_backward",
            "args": [np.ones(6), np.array([-1.0, 2.0, -3.0, 4.0, -0.5, 0.5])],
        },
        {
            "name": "relu_backward on a 2-D batch",
            "call": "relu_backward",
            "args": [
                np.array([[2.0, -3.0, 0.5], [7.0, -1.0, 4.0]]),
                np.array([[1.0, -1.0, 2.0], [3.0, 0.0, -2.0]]),
            ],
        },
        {
            "name": "relu_backward on a 3-D input",
            "call": "relu_backward",
            "args": [
                np.linspace(-3.0, 3.0, 24).reshape(2, 4, 3),
                (np.arange(24.0).reshape(2, 4, 3) % 5) - 2.0,
            ],
        },
    ]

    rng = np.random.default_rng(seed)
    shapes = [(int(rng.integers(1, 30)),), tuple(int(n) for n in rng.integers(1, 8, size=2)),
              tuple(int(n) for n in rng.integers(1, 5, size=3))]
    randoms = []
    for number, shape in enumerate(shapes, start=1):
        randoms.append({
            "name": f"relu of random input {number}, shape {shape}",
            "call": "relu",
            "args": [_with_exact_zeros(rng, shape)],
        })
    for number, shape in enumerate(shapes, start=1):
        randoms.append({
            "name": f"relu_backward of random input {number}, shape {shape}",
            "call": "relu_backward",
            "args": [rng.normal(0.0, 3.0, size=shape), _with_exact_zeros(rng, shape)],
        })
    return named + randoms
