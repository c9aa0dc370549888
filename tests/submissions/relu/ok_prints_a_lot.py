"""Right, but prints a dozen lines of debugging output on every call."""
import numpy as np


def relu(z):
    print(f"relu: shape {np.shape(z)}, dtype {np.asarray(z).dtype}")
    for step in range(12):
        print(f"  relu debug line {step}: min {np.min(z):.3g} max {np.max(z):.3g}")
    return np.maximum(z, 0)


def relu_backward(dout, z):
    print("relu_backward called")
    for step in range(12):
        print(f"  relu_backward debug line {step}: {int(np.sum(z > 0))} positive of {np.size(z)}")
    return dout * (z > 0)
