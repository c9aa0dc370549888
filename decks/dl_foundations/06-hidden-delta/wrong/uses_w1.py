import numpy as np

HINT = ("The output error reaches the hidden units through the layer-2 weights, the ones between them: "
        "use delta2 @ W2, not delta2 @ W1.")


def hidden_delta(delta2, W1, W2, z1):
    return (delta2 @ W1) * (z1 > 0)
