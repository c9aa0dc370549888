import numpy as np

HINT = ("The log-sum-exp needs its shift too: np.exp(1000) is inf, so log(sum(exp(z))) is inf and "
        "every probability comes out 0. Subtract each row's maximum first.")


def softmax(z):
    log_norm = np.log(np.sum(np.exp(z), axis=-1, keepdims=True))
    return np.exp(z - log_norm)
