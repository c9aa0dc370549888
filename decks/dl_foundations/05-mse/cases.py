"""Test cases for mse and mse_grad: the named edge cases, then random ones."""

import numpy as np


def _loss(y_pred, y_true):
    """The mean squared error, written out here so the judge does not trust any mse function."""
    return np.sum((y_pred - y_true) ** 2) / y_pred.size


def _probe_indices(shape, limit=12):
    """Every index for small arrays; otherwise an even spread of `limit` of them."""
    size = int(np.prod(shape))
    flat = range(size) if size <= limit else np.linspace(0, size - 1, limit).astype(int)
    return [np.unravel_index(int(i), shape) for i in flat]


def _diagnosis(ratio, shape):
    """A hint from how far the learner's gradient is off, when the factor is a telling one."""
    size = int(np.prod(shape))
    if np.isclose(ratio, 0.5, rtol=1e-3):
        return ": is the factor 2 missing?"
    if np.isclose(ratio, -1.0, rtol=1e-3):
        return ": is the sign flipped? The error is y_pred - y_true"
    if size > 1 and np.isclose(ratio, size, rtol=1e-3):
        return f": divide by n, the number of elements ({size})"
    if len(shape) > 1 and shape[-1] > 1 and np.isclose(ratio, shape[-1], rtol=1e-3):
        return f": divide by every element ({size}), not only by the number of rows ({shape[0]})"
    return ""


def gradient_matches_finite_differences(got, args, kwargs):
    """Judge: compare mse_grad's result with central differences of the loss, entry by entry."""
    y_pred = np.array(args[0], dtype=float)
    y_true = np.array(args[1], dtype=float)
    if got is None:
        return "mse_grad returned None: is a return statement missing?"
    if not isinstance(got, np.ndarray):
        return "mse_grad did not return a NumPy array: return an array shaped like y_pred"
    try:
        grad = np.asarray(got, dtype=float)
    except Exception:  # noqa: BLE001 - whatever the learner returned, answer with a message rather than a traceback
        return "mse_grad returned an array that does not hold numbers"
    if grad.shape != y_pred.shape:
        return f"the gradient has shape {grad.shape}, expected {y_pred.shape}, the shape of y_pred"
    if not np.all(np.isfinite(grad)):
        return "the gradient contains nan or inf"
    h = 1e-6
    for index in _probe_indices(y_pred.shape):
        up, down = y_pred.copy(), y_pred.copy()
        up[index] += h
        down[index] -= h
        numeric = (_loss(up, y_true) - _loss(down, y_true)) / (2 * h)
        if not np.isclose(grad[index], numeric, rtol=1e-5, atol=1e-9):
            where = ", ".join(str(int(i)) for i in index)
            ratio = grad[index] / numeric if numeric != 0 else np.nan
            return (f"the gradient at y_pred[{where}] is {grad[index]:.6g}, but nudging that entry "
                    f"changes the loss at a rate of {numeric:.6g}{_diagnosis(ratio, y_pred.shape)}")
    return None


def cases(seed: int) -> list[dict]:
    """Named edge cases first, then random cases drawn from numpy.random.default_rng(seed)."""
    grid_pred = np.array([[0.5, -1.0, 2.0, 3.5], [1.0, 0.0, -2.5, 4.0], [-3.0, 1.5, 0.25, -0.75]])
    grid_true = np.array([[1.0, 1.0, 1.0, 1.0], [0.0, 0.5, -1.0, 2.0], [-1.0, 2.0, 0.0, 0.0]])
    named = [
        {
            "name": "mse of predictions equal to the targets is 0.0",
            "call": "mse",
            "args": [np.array([1.5, -2.0, 3.0]), np.array([1.5, -2.0, 3.0])],
        },
        {
            "name": "mse of a single element",
            "call": "mse",
            "args": [np.array([3.0]), np.array([1.0])],
        },
        {
            "name": "mse of 1-D predictions",
            "call": "mse",
            "args": [np.array([2.0, 4.0, -1.0, 0.5]), np.array([0.0, 1.0, 1.0, 0.5])],
        },
        {
            "name": "mse averages over every element of a 2-D batch",
            "call": "mse",
            "args": [grid_pred.copy(), grid_true.copy()],
        },
        {
            "name": "mse of a column of predictions, shape (n, 1)",
            "call": "mse",
            "args": [np.array([[1.0], [2.0], [-3.0], [0.5], [4.0]]),
                     np.array([[0.0], [2.5], [-1.0], [0.5], [1.0]])],
        },
        {
            "name": "mse_grad is zero when the predictions equal the targets",
            "call": "mse_grad",
            "args": [np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 2.0], [3.0, 4.0]])],
        },
        {
            "name": "mse_grad of 1-D predictions",
            "call": "mse_grad",
            "args": [np.array([2.0, 4.0, -1.0, 0.5]), np.array([0.0, 1.0, 1.0, 0.5])],
        },
        {
            "name": "mse_grad divides by every element of a 2-D batch",
            "call": "mse_grad",
            "args": [grid_pred.copy(), grid_true.copy()],
        },
        {
            "name": "mse_grad of a column of predictions, shape (n, 1)",
            "call": "mse_grad",
            "args": [np.array([[1.0], [2.0], [-3.0], [0.5], [4.0]]),
                     np.array([[0.0], [2.5], [-1.0], [0.5], [1.0]])],
        },
        {
            "name": "the gradient matches finite differences",
            "call": "mse_grad",
            "args": [grid_pred.copy(), grid_true.copy()],
            "judge": gradient_matches_finite_differences,
        },
    ]

    rng = np.random.default_rng(seed)
    randoms = []
    for number in range(1, 7):
        shape = (int(rng.integers(1, 20)),) if number % 2 else (int(rng.integers(2, 8)), int(rng.integers(2, 8)))
        y_true = rng.normal(0.0, 3.0, size=shape)
        y_pred = y_true + rng.normal(0.0, 1.0, size=shape)
        call = "mse" if number <= 3 else "mse_grad"
        randoms.append({
            "name": f"{call} of random predictions {number}, shape {shape}",
            "call": call,
            "args": [y_pred, y_true],
        })
    shape = (int(rng.integers(2, 6)), int(rng.integers(2, 6)))
    randoms.append({
        "name": f"the gradient of random predictions matches finite differences, shape {shape}",
        "call": "mse_grad",
        "args": [rng.normal(0.0, 2.0, size=shape), rng.normal(0.0, 2.0, size=shape)],
        "judge": gradient_matches_finite_differences,
    })
    return named + randoms
