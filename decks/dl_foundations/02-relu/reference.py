"""Reference solution: ReLU forward and backward."""

import numpy as np


def relu(z):
    """Elementwise max(z, 0), any shape; returns a new array and leaves z untouched."""
    return np.maximum(np.asarray(z), 0)


def relu_backward(dout, z):
    """Gradient of the loss with respect to z: dout where z > 0, zero where z <= 0."""
    return np.asarray(dout) * (np.asarray(z) > 0)


EXAMPLES = [
    ("relu", (np.array([-1.0, 0.0, 2.0]),), [0.0, 0.0, 2.0]),
    ("relu", (np.array([[3.0, -4.0], [-0.5, 0.25]]),), [[3.0, 0.0], [0.0, 0.25]]),
    ("relu_backward", (np.array([5.0, 5.0, 5.0]), np.array([-1.0, 0.0, 2.0])), [0.0, 0.0, 5.0]),
    (
        "relu_backward",
        (np.array([[1.0, -2.0], [3.0, 4.0]]), np.array([[0.5, 0.5], [-0.1, 7.0]])),
        [[1.0, -2.0], [0.0, 4.0]],
    ),
]
