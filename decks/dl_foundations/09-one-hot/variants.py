"""Numeric practice for the one-hot item: predict what one_hot(y, n_classes) returns."""

import functools
import itertools
import random

from drill.deckkit import check_seed

# Every label vector of length 2-4 over 2-4 classes is small enough to write out by hand;
# there are only 481 of them. Seeds walk through a fixed shuffle of that list, so any 481
# consecutive seeds give 481 different variants (random draws would repeat much sooner).
_LENGTHS = (2, 3, 4)
_CLASSES = (2, 3, 4)
_ORDER_SEED = 9


@functools.lru_cache(maxsize=1)
def _all_cases():
    cases = [
        (list(y), n)
        for n in _CLASSES
        for length in _LENGTHS
        for y in itertools.product(range(n), repeat=length)
    ]
    random.Random(_ORDER_SEED).shuffle(cases)
    return tuple(cases)


def generate(seed: int) -> dict:
    """Variant `seed` of the one-hot practice (seed 0 works too; the deck uses seeds >= 1)."""
    seed = check_seed(seed)
    cases = _all_cases()
    y, n = cases[seed % len(cases)]
    return _build(list(y), n)


def _list(values):
    return "[" + ", ".join(str(v) for v in values) + "]"


def _bmatrix(rows):
    body = r" \\ ".join(" & ".join(str(v) for v in row) for row in rows)
    return r"\begin{bmatrix} " + body + r" \end{bmatrix}"


def _and(values):
    """'1', '1 and 2', '1, 2 and 3'."""
    names = [str(v) for v in values]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _build(y, n):
    rows = [[1 if c == label else 0 for c in range(n)] for label in y]
    prompt = "\n".join([
        f"What does one_hot(y, n_classes) return for y = {_list(y)} and n_classes = {n}?",
        "Give the matrix as a list of rows, for example [[1, 0], [0, 1]].",
    ])
    lines = [
        f"The result has one row per label ({len(y)} rows) and one column per class "
        f"({n} columns), and starts as all zeros.",
        "Each row i gets a single 1, in column y[i] (columns count from 0):",
    ]
    for i, (label, row) in enumerate(zip(y, rows)):
        lines.append(f"- row {i}: y[{i}] = {label}, so the row is {_list(row)}")
    as_list = _list(_list(r) for r in rows)
    lines.append(rf"So the answer is \({_bmatrix(rows)}\), that is {as_list}.")

    notes = []
    absent = [c for c in range(n) if c not in y]
    repeated = sorted({c for c in y if y.count(c) > 1})
    if absent:
        which = _and(absent)
        noun = "class" if len(absent) == 1 else "classes"
        verb = "never appears" if len(absent) == 1 else "never appear"
        notes.append(
            f"{noun.capitalize()} {which} {verb} in y, so "
            f"{'its column stays' if len(absent) == 1 else 'their columns stay'} all zeros: "
            "the width comes from n_classes, not from the labels you happen to have."
        )
    if repeated:
        which = _and(repeated)
        if len(repeated) == 1:
            head = f"Label {which} appears more than once, so that column holds"
        else:
            head = f"Labels {which} each appear more than once, so those columns hold"
        notes.append(f"{head} more than one 1; every row still holds exactly one.")
    if n - 1 in y:
        notes.append(
            f"The top class, {n - 1}, goes in the last column (index n_classes - 1 = {n - 1})."
        )
    lines.extend(notes)
    lines.append(
        "In NumPy: Y = np.zeros((len(y), n_classes)); Y[np.arange(len(y)), y] = 1. "
        "The paired index arrays pick exactly one position per row."
    )
    return {
        "prompt": prompt,
        "answer": [[float(v) for v in row] for row in rows],
        "answer_text": _list(_list(r) for r in rows),
        "solution": "\n".join(lines),
        "params": {"y": y, "n_classes": n},
        "tolerance": {"rtol": 0.0, "atol": 1e-9},
    }
