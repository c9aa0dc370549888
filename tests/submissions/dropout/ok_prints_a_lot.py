"""Right, and chatty: prints the mask statistics on every call."""
import numpy as np


def dropout(x, p, training=True):
    print(f"dropout(shape={np.shape(x)}, p={p}, training={training})")
    if not training:
        print("evaluation: x passes unchanged")
        return x
    keep = np.random.rand(*np.shape(x)) >= p
    for line in range(12):
        print(f"dropout debug line {line}: kept {int(keep.sum())} of {keep.size}")
    return x * keep / (1 - p)
