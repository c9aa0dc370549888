"""Right, and prints each row as it goes."""
import numpy as np


def one_hot(y, n_classes):
    y = np.asarray(y, dtype=np.intp)
    print(f"one_hot: {y.size} labels, {n_classes} classes")
    Y = np.zeros((y.size, n_classes))
    for i, label in enumerate(y):
        Y[i, label] = 1.0
        print(f"row {i}: label {label} -> {Y[i]}")
    for line in range(11):
        print(f"one_hot debug line {line}")
    return Y
