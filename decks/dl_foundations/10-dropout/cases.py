"""Test cases for dropout: the named edge cases, then random ones.

Training-mode outputs are random, so those cases use a judge that checks properties instead of
comparing with the reference: every element is 0 or x / (1 - p), and about p of them are 0;
and a judge over calls: masks drawn after different seeds, or in calls one after another,
are different masks.
"""

import numpy as np

# A correct dropout fails a 5-sigma check about once in two million calls.
SIGMAS = 5.0
EVAL_SEEDS = [0, 1, 2, 12345]
TRAIN_SEEDS = [0, 1, 2]
# Evaluation and p = 0 must give x back as it is.
EXACT = {"rtol": 0.0, "atol": 0.0}


def _no_zeros(shape, start=0):
    """Deterministic values of both signs with magnitudes in [1, 2), so a 0 can only mean 'dropped'."""
    count = int(np.prod(shape))
    k = np.arange(start, start + count)
    magnitude = 1.0 + (k * 37 % 101) / 101.0
    sign = np.where(k % 3 == 1, -1.0, 1.0)
    return (magnitude * sign).reshape(shape)


def train_mode_drops_about_p(got, args, kwargs):
    """Judge: each element is 0 or x / (1 - p), and the share of zeros is within 5 sigma of p."""
    x = np.array(args[0], dtype=float)
    p = float(args[1])
    if got is None:
        return "dropout returned None in training mode: is a return statement missing?"
    if not isinstance(got, np.ndarray):
        return "dropout did not return a NumPy array in training mode: return an array shaped like x"
    try:
        out = np.asarray(got, dtype=float)
    except Exception:  # noqa: BLE001 - whatever the learner returned, answer with a message rather than a traceback
        return "dropout returned an array that does not hold numbers"
    if out.shape != x.shape:
        return f"the result has shape {out.shape}, expected {x.shape}, the shape of x"
    if not np.all(np.isfinite(out)):
        return "the result contains nan or inf: is something divided by zero?"

    dropped = out == 0
    share = float(dropped.mean())
    sigma = np.sqrt(p * (1.0 - p) / x.size)
    if abs(share - p) > SIGMAS * sigma:
        message = f"about {share:.0%} of the units were dropped, expected about {p:.0%} (p = {p:g})"
        if abs(share - (1.0 - p)) <= SIGMAS * sigma:
            return message + ": is p the drop probability in your code?"
        if share == 0:
            return message + ": is the mask applied when training is True?"
        return message

    kept = ~dropped
    expected = x / (1.0 - p)
    good = np.isclose(out, expected, rtol=1e-9, atol=0.0) | dropped
    if not good.all():
        if np.allclose(out[kept], x[kept], rtol=1e-9, atol=0.0):
            return (f"the kept units were not scaled: inverted dropout divides them by "
                    f"1 - p = {1.0 - p:g} so that the expected output equals x")
        index = np.unravel_index(int(np.argmin(good)), x.shape)
        where = ", ".join(str(int(i)) for i in index)
        return (f"x[{where}] = {x[index]:.6g} came back as {out[index]:.6g}; a kept unit should be "
                f"x / (1 - p) = {expected[index]:.6g}")
    return None


def fresh_masks(outputs, args, kwargs):
    """Judge over calls: each call drops its own units, as independent masks would.

    Two independent masks disagree on about 2p(1 - p) of the units; a mask drawn once and
    reused (a cache, or np.random.seed called inside dropout) disagrees on none.
    """
    p = float(args[1])
    masks = [np.asarray(out, dtype=float) == 0 for out in outputs]
    expected = 2.0 * p * (1.0 - p)
    for i in range(len(masks)):
        for j in range(i + 1, len(masks)):
            size = masks[i].size
            share = float((masks[i] != masks[j]).mean())
            sigma = np.sqrt(expected * (1.0 - expected) / size)
            if share >= expected - SIGMAS * sigma:
                continue
            if share == 0:
                return (f"calls {i + 1} and {j + 1} dropped exactly the same units: draw a fresh "
                        "mask on every call (no np.random.seed inside dropout, no mask kept "
                        "from an earlier call)")
            return (f"the masks of calls {i + 1} and {j + 1} differ on {share:.0%} of the units, "
                    f"independent masks differ on about {expected:.0%}: draw a fresh mask on every call")
    return None


def _eval(name, x, p, seeds=EVAL_SEEDS):
    return {"name": name, "call": "dropout", "args": [x, p], "kwargs": {"training": False},
            "rng_seeds": list(seeds), **EXACT}


def _train(name, x, p):
    return {"name": name, "call": "dropout", "args": [x, p], "kwargs": {"training": True},
            "rng_seeds": list(TRAIN_SEEDS), "judge": train_mode_drops_about_p,
            "judge_calls": fresh_masks}


def _fresh(name, x, p, seed):
    """Calls in a row with no reseeding between them: each must draw a new mask."""
    return {"name": name, "call": "dropout", "args": [x, p], "kwargs": {"training": True},
            "rng_seeds": [seed], "repeat": 3, "judge": train_mode_drops_about_p,
            "judge_calls": fresh_masks}


def cases(seed: int) -> list[dict]:
    """Named edge cases first, then random cases drawn from numpy.random.default_rng(seed)."""
    named = [
        _eval("evaluation mode returns x unchanged, on every call", _no_zeros((4, 6)), 0.5),
        _eval("evaluation mode with p = 0.9 returns x unchanged", _no_zeros((10,), start=7), 0.9),
        _train("train mode drops about p of the units", _no_zeros((200, 50)), 0.5),
        _train("train mode with p = 0.2 drops about a fifth of the units", _no_zeros((200, 50), start=3), 0.2),
        _train("train mode on a 1-D vector with p = 0.75", _no_zeros((5000,), start=11), 0.75),
        {
            "name": "train mode with p = 0 keeps every unit as it is",
            "call": "dropout",
            "args": [_no_zeros((3, 5), start=5), 0.0],
            "kwargs": {"training": True},
            "rng_seeds": [0, 1],
            **EXACT,
        },
        {
            "name": "training is on by default",
            "call": "dropout",
            "args": [_no_zeros((100, 40), start=13), 0.3],
            "rng_seeds": list(TRAIN_SEEDS),
            "judge": train_mode_drops_about_p,
            "judge_calls": fresh_masks,
        },
        _fresh("three calls in a row draw three different masks", _no_zeros((60, 50), start=17), 0.5, seed),
    ]

    rng = np.random.default_rng(seed)
    randoms = []
    for number in range(1, 4):
        shape = tuple(int(n) for n in rng.integers(1, 9, size=int(rng.integers(1, 3))))
        p = round(float(rng.uniform(0.05, 0.95)), 2)
        x = rng.normal(0.0, 2.0, size=shape)
        randoms.append(_eval(f"evaluation mode on random input {number}, shape {shape}, p = {p:g}", x, p))
    for number in range(1, 4):
        shape = (int(rng.integers(40, 100)), int(rng.integers(40, 100)))
        p = round(float(rng.uniform(0.05, 0.95)), 2)
        x = (1.0 + rng.random(shape)) * rng.choice([-1.0, 1.0], size=shape)
        randoms.append(_train(f"train mode on random input {number}, shape {shape}, p = {p:g}", x, p))
    return named + randoms
