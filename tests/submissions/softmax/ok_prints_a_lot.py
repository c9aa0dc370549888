"""Right, but prints every row it normalises and more."""
import numpy as np


def softmax(z):
    print("softmax input:")
    print(z)
    shifted = z - z.max(axis=-1, keepdims=True)
    for line in range(11):
        print(f"debug {line}: shifted max {shifted.max():.3g}, min {shifted.min():.3g}")
    e = np.exp(shifted)
    out = e / e.sum(axis=-1, keepdims=True)
    print("softmax output:")
    print(out)
    return out
