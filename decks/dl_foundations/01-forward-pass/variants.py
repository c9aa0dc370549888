"""Numeric variants of the forward-pass item: a small ReLU network worked by hand."""

import random

from drill.deckkit import check_seed

# Seed 0 is the self-check's own network; its output is 2.
_SOURCE = {
    "x": [1, -1],
    "W1": [[2, 0], [0, 2]],
    "b1": [0, 0],
    "W2": [[1, 1]],
    "b2": [0],
}

# Share of variants (seeds >= 1) that must show a dead unit which changes the answer.
_DEAD_SHARE = 0.9
# Keep every number small enough to work out in your head.
_MAX_HIDDEN = 12
_MAX_OUTPUT = 30


def generate(seed: int) -> dict:
    """Variant `seed` of the forward-pass item."""
    seed = check_seed(seed)
    if seed == 0:
        params = {key: [list(v) if isinstance(v, list) else v for v in value]
                  for key, value in _SOURCE.items()}
    else:
        params = _sample(random.Random(seed))
    return _build(params)


def _matvec(W, v, b):
    return [sum(w * x for w, x in zip(row, v)) + bias for row, bias in zip(W, b)]


def _sample(rng):
    want_dead = rng.random() < _DEAD_SHARE
    while True:
        n_in = rng.choice((2, 3))
        n_hidden = rng.choice((2, 3))
        n_out = 2 if rng.random() < 0.2 else 1
        x = [rng.randint(-3, 3) for _ in range(n_in)]
        W1 = [[rng.randint(-3, 3) for _ in range(n_in)] for _ in range(n_hidden)]
        b1 = [rng.randint(-2, 2) for _ in range(n_hidden)]
        W2 = [[rng.randint(-3, 3) for _ in range(n_hidden)] for _ in range(n_out)]
        b2 = [rng.randint(-2, 2) for _ in range(n_out)]
        # A mostly-zero input or an all-zero weight row makes the sums trivial.
        if sum(1 for v in x if v) < 2 or not all(any(row) for row in W1 + W2):
            continue
        z1 = _matvec(W1, x, b1)
        if all(v <= 0 for v in z1):
            continue  # every unit dead: the output would just be b2
        if any(abs(v) > _MAX_HIDDEN for v in z1):
            continue
        a1 = [max(v, 0) for v in z1]
        z2 = _matvec(W2, a1, b2)
        if any(abs(v) > _MAX_OUTPUT for v in z2):
            continue
        if want_dead:
            # The lesson needs a unit that ReLU switches off *and* whose loss shows in
            # the output: a negative pre-activation with a non-zero outgoing weight.
            if not any(z1[j] < 0 and any(row[j] for row in W2) for j in range(n_hidden)):
                continue
        return {"x": x, "W1": W1, "b1": b1, "W2": W2, "b2": b2}


def _num(v):
    """A factor in a product: negative numbers get brackets."""
    return f"({v})" if v < 0 else str(v)


def _vector(values):
    return "[" + ", ".join(str(v) for v in values) + "]"


def _bmatrix(rows):
    body = r" \\ ".join(" & ".join(str(v) for v in row) for row in rows)
    return r"\begin{bmatrix} " + body + r" \end{bmatrix}"


def _row_sum(row, v, bias):
    """'2\\cdot1 + 0\\cdot(-1) + 0': one output of W v + b, written out."""
    terms = [f"{_num(w)}\\cdot{_num(x)}" for w, x in zip(row, v)]
    terms.append(_num(bias))
    return " + ".join(terms)


def _ordinal_units(indices):
    names = [str(j + 1) for j in indices]
    if len(names) == 1:
        return "unit " + names[0]
    return "units " + ", ".join(names[:-1]) + " and " + names[-1]


def _build(params):
    x, W1, b1, W2, b2 = (params[k] for k in ("x", "W1", "b1", "W2", "b2"))
    n_out = len(W2)
    z1 = _matvec(W1, x, b1)
    a1 = [max(v, 0) for v in z1]
    z2 = _matvec(W2, a1, b2)
    linear = _matvec(W2, z1, b2)  # what you get if you forget the ReLU
    dead = [j for j, v in enumerate(z1) if v <= 0]

    b2_text = str(b2[0]) if n_out == 1 else _vector(b2)
    prompt_lines = [
        rf"A two-layer network receives the input \(x = {_vector(x)}\).",
        rf"Hidden layer: \(W_1 = {_bmatrix(W1)}\), \(b_1 = {_vector(b1)}\), followed by ReLU.",
        rf"Output layer: \(W_2 = {_bmatrix(W2)}\), \(b_2 = {b2_text}\), no activation (a linear output).",
        "What does the network output?",
    ]
    if n_out > 1:
        prompt_lines[-1] = (
            f"What does the network output? It has {n_out} entries: give it as a list, "
            "for example [1, 2]."
        )

    layer1 = ", ".join(_row_sum(row, x, b) for row, b in zip(W1, b1))
    relu_line = rf"ReLU: \(a_1 = \max(z_1, 0) = {_vector(a1)}\)"
    if len(dead) == 1:
        j = dead[0]
        relu_lines = [
            f"{relu_line} (unit {j + 1} is dead: its pre-activation is {z1[j]}, "
            "so ReLU outputs 0)"
        ]
    elif dead:
        relu_lines = [f"{relu_line}, with {len(dead)} units zeroed:"] + [
            f"- unit {j + 1} is dead: its pre-activation is {z1[j]}, so ReLU outputs 0"
            for j in dead
        ]
    else:
        relu_lines = [
            f"{relu_line} (no unit is dead: every pre-activation is positive, "
            "so ReLU passes them all through)"
        ]
    if n_out == 1:
        layer2 = rf"\(z_2 = W_2 a_1 + b_2 = {_row_sum(W2[0], a1, b2[0])} = \mathbf{{{z2[0]}}}\)"
    else:
        rows = ", ".join(_row_sum(row, a1, b) for row, b in zip(W2, b2))
        layer2 = rf"\(z_2 = W_2 a_1 + b_2 = [{rows}] = \mathbf{{{_vector(z2)}}}\)"
    solution_lines = [
        rf"Layer 1: \(z_1 = W_1 x + b_1 = [{layer1}] = {_vector(z1)}\)",
        *relu_lines,
        f"Layer 2: {layer2}",
    ]

    shown = z2[0] if n_out == 1 else _vector(z2)
    lost = z2 != linear
    if dead and lost:
        wrong = linear[0] if n_out == 1 else _vector(linear)
        solution_lines.append(
            f"The lesson: ReLU switched off {_ordinal_units(dead)}, so whatever "
            f"{'it' if len(dead) == 1 else 'they'} carried is lost to the next layer. "
            f"Had you skipped the ReLU you would have got {wrong} instead of {shown}. "
            "This is the dead-neuron behaviour: a unit with pre-activation at or below 0 "
            "passes nothing forward (and, during training, gets no gradient)."
        )
    elif dead:
        if all(z1[j] == 0 for j in dead):
            why = "its pre-activation was already 0" if len(dead) == 1 else (
                "their pre-activations were already 0")
        elif all(not any(row[j] for row in W2) for j in dead):
            why = "its outgoing weight in W2 is 0 anyway" if len(dead) == 1 else (
                "their outgoing weights in W2 are 0 anyway")
        else:
            why = "each zeroed value was either 0 already or meets a weight of 0 in W2"
        solution_lines.append(
            f"The lesson: ReLU switched off {_ordinal_units(dead)}; here that happens to "
            f"change nothing in the output, because {why}. A dead unit passes nothing "
            "forward and, during training, gets no gradient."
        )
    else:
        solution_lines.append(
            "The lesson: every hidden unit was active, so ReLU let all of them through "
            "unchanged. ReLU only changes the result for units whose pre-activation is "
            "0 or below: those become dead and pass nothing forward."
        )

    return {
        "prompt": "\n".join(prompt_lines),
        "answer": z2[0] if n_out == 1 else list(z2),
        "answer_text": str(shown),
        "solution": "\n".join(solution_lines),
        "params": params,
    }
