from pathlib import Path

import numpy as np

with open(Path(__file__).parents[1] / "ran.log", "a") as trace:  # proof, for the tests, that it ran
    trace.write("02-square/cases.py\n")


def cases(seed):
    rng = np.random.default_rng(seed)
    return [
        {"name": "square of 3", "call": "square", "args": [np.array([3.0])]},
        {"name": "square of random values", "call": "square", "args": [rng.normal(size=4)]},
    ]
