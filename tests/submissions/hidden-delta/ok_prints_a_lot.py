"""Right, with the shapes printed at every step, as while debugging a network."""
import numpy as np


def hidden_delta(delta2, W1, W2, z1):
    print("delta2", delta2.shape)
    print("W1", W1.shape, "(not needed)")
    print("W2", W2.shape)
    print("z1", z1.shape)
    upstream = delta2 @ W2
    print("delta2 @ W2", upstream.shape)
    mask = z1 > 0
    for b, row in enumerate(mask):
        print(f"example {b}: {int(row.sum())} active units")
    for line in range(8):
        print(f"padding line {line}")
    return upstream * mask
