"""Answers to the self-check, right or wrong, worked out here independently of drill's code."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from drill import loader, variants

ITEMS = loader.load_builtin().items
IDS = [item.id for item in ITEMS]
SUBMISSIONS = Path(__file__).parent / "submissions"
# The seed's score bands: 9-12 ready, 7-8 review, below 7 redo.
BAND_OF = {**dict.fromkeys(range(7), "redo"), 7: "review", 8: "review",
           **dict.fromkeys(range(9, 13), "ready")}


def numeric_answer(item_id: str, seed: int):
    """The right answer, recomputed from the variant's parameters with NumPy."""
    params = variants.make(next(i for i in ITEMS if i.id == item_id), seed).params
    if item_id == "forward-pass":
        p = {k: np.asarray(v, dtype=float) for k, v in params.items()}
        out = p["W2"] @ np.maximum(p["W1"] @ p["x"] + p["b1"], 0) + p["b2"]
        return out.tolist() if np.ndim(out) else float(out)
    alpha, lam = params["alpha"], params["lam"]
    asks = params.get("asks", "factor")
    if asks == "factor":
        return 1 - alpha * lam
    if asks == "gradient":
        return params["grad"] + lam * params["w"]
    return params["w"] * (1 - alpha * lam) - alpha * params["grad"]


def typed(value, right: bool = True) -> str:
    """An answer as a learner would type it; a wrong one is off by 1 everywhere."""
    shift = 0 if right else 1
    if isinstance(value, list):
        return json.dumps((np.asarray(value) + shift).tolist())
    return repr(value + shift)


def code_file(item_id: str, right: bool = True) -> Path:
    """A submission from tests/submissions: ok_* when right, bad_* when wrong."""
    folder = SUBMISSIONS / item_id
    return sorted(folder.glob(("ok_" if right else "bad_") + "*.py"))[0]


def answers_toml(folder: Path, seed: int, right: set[str], *, skip: set[str] = frozenset(),
                 name: str = "answers.toml", with_seed: bool = True) -> Path:
    """Write an answers file: the items in `right` answered right, the others wrong."""
    lines = [f"seed = {seed}"] if with_seed else []
    lines.append("[answers]")
    for item in ITEMS:
        if item.id in skip:
            continue
        good = item.id in right
        if item.kind == "numeric":
            value = json.dumps(typed(numeric_answer(item.id, seed), good))
        elif item.kind == "code":
            target = folder / f"{item.id}.py"
            target.write_text(code_file(item.id, good).read_text())
            value = json.dumps(target.name)
        else:
            value = "true" if good else "false"
        lines.append(f"{item.id} = {value}")
    path = folder / name
    path.write_text("\n".join(lines) + "\n")
    return path


def spread(score: int) -> set[str]:
    """`score` item ids to answer right, mixing the kinds (numeric, code, concept)."""
    order = ["forward-pass", "relu", "sigmoid-range", "weight-decay", "softmax", "chain-rule",
             "mse", "learning-rate", "hidden-delta", "target-network", "one-hot", "dropout"]
    return set(order[:score])
