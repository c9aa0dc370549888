"""Numeric variants of the forward-pass item: a small ReLU network worked by hand.

Seed 0 is the self-check's own network (output 2). Other seeds draw small integer networks
(params `x, W1, b1, W2, b2`, with z1 = W1 x + b1 and output W2 relu(z1) + b2) of four kinds:

- "lost" (about 88%): the seed's lesson. ReLU switches off a unit for this input, and the
  output shows what was lost (skipping the ReLU would give a different answer).
- "all_on" (about 7%): every pre-activation is positive, so ReLU changes nothing.
- Two edge cases, kept on purpose at about 2.5% each:
  "at_zero", a unit with pre-activation exactly 0 (ReLU outputs 0, nothing is lost, and
  relu_backward passes no gradient there), and "only_b2", where the output is just b2
  because ReLU switched off the only units W2 listens to.

No variant has every unit off. The solutions say a unit is "inactive for this input"; the word
"dead" is kept for what it means: a unit whose pre-activation is negative for every input, so
it never passes a gradient and never recovers.
"""

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

# Shares of the other kinds of variant (seeds >= 1); the rest are "lost".
_EDGE_SHARES = (("all_on", 0.07), ("at_zero", 0.025), ("only_b2", 0.025))
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
    roll = rng.random()
    case = "lost"
    for name, share in _EDGE_SHARES:
        if roll < share:
            case = name
            break
        roll -= share
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
            continue  # every unit off: the output would just be b2
        if any(abs(v) > _MAX_HIDDEN for v in z1):
            continue
        a1 = [max(v, 0) for v in z1]
        z2 = _matvec(W2, a1, b2)
        if any(abs(v) > _MAX_OUTPUT for v in z2):
            continue
        if _case(z1, W2, b2, z2) == case:
            return {"x": x, "W1": W1, "b1": b1, "W2": W2, "b2": b2}


def _case(z1, W2, b2, z2):
    """Which kind of variant a network makes for its input (see the module docstring)."""
    linear = _matvec(W2, z1, b2)
    if 0 in z1:
        return "at_zero" if z2 != b2 else "other"
    if z2 == b2:
        return "only_b2" if linear != z2 else "other"
    if all(v > 0 for v in z1):
        return "all_on"
    # The lesson needs a unit that ReLU switches off *and* whose loss shows in the output.
    return "lost" if linear != z2 else "other"


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


_DEAD = (
    "Being switched off for one input is normal, and for that input the unit also passes no "
    "gradient back to its incoming weights. A unit is called dead only when its pre-activation "
    "is negative for every input: then it never passes a gradient, its weights never change, "
    "and it never recovers."
)


def _lesson(z1, W2, b2, z2, linear):
    """The closing paragraph: what ReLU did to this input, and what a dead unit really is."""
    off = [j for j, v in enumerate(z1) if v < 0]
    at_zero = [j for j, v in enumerate(z1) if v == 0]
    one = len(W2) == 1
    shown = z2[0] if one else _vector(z2)
    wrong = linear[0] if one else _vector(linear)
    skipped = f"Had you skipped the ReLU you would have got {wrong} instead of {shown}."
    it = "it" if len(off) == 1 else "they"
    zero_note = ""
    if at_zero:
        zero_note = (
            f" {_ordinal_units(at_zero).capitalize()} sat exactly at 0: ReLU outputs 0 there, "
            "and by the usual convention (the one relu_backward uses) passes no gradient "
            "either."
        )
    if not off and not at_zero:
        return (
            "The lesson: every hidden unit was active, so ReLU let all of them through "
            "unchanged. ReLU only changes the result for a unit whose pre-activation is "
            "below 0: for that input the unit is switched off and passes nothing forward."
        )
    if z2 == b2:
        active = [j for j, v in enumerate(z1) if v > 0]
        if all(not any(row[j] for row in W2) for j in active):
            why = (
                f"{'the unit still on has' if len(active) == 1 else 'the units still on have'} "
                r"a weight of 0 in \(W_2\)"
            )
        else:
            why = "what the units still on send to the output cancels out"
        return (
            rf"The lesson: the output is just \(b_2\). ReLU switched off {_ordinal_units(off)} for "
            f"this input, and {why}, so nothing from the hidden layer reaches the output. "
            f"{skipped}{zero_note} {_DEAD}"
        )
    if z2 != linear:
        return (
            f"The lesson: ReLU switched off {_ordinal_units(off)} for this input, so whatever "
            f"{it} carried is lost to the next layer. {skipped}{zero_note} {_DEAD}"
        )
    if not off:
        return (
            f"The lesson: ReLU changed nothing here, because no pre-activation was negative."
            f"{zero_note} A unit with a negative pre-activation is switched off for that input; "
            "it is called dead only when that happens for every input: then it never passes a "
            "gradient, its weights never change, and it never recovers."
        )
    if all(not any(row[j] for row in W2) for j in off):
        why = (
            "its outgoing weight in W2 is 0 anyway" if len(off) == 1
            else "their outgoing weights in W2 are 0 anyway"
        )
    else:
        why = "what the switched-off units would have sent cancels out"
    return (
        f"The lesson: ReLU switched off {_ordinal_units(off)} for this input; here that happens "
        f"to change nothing in the output, because {why}.{zero_note} {_DEAD}"
    )


def _build(params):
    x, W1, b1, W2, b2 = (params[k] for k in ("x", "W1", "b1", "W2", "b2"))
    n_out = len(W2)
    z1 = _matvec(W1, x, b1)
    a1 = [max(v, 0) for v in z1]
    z2 = _matvec(W2, a1, b2)
    linear = _matvec(W2, z1, b2)  # what you get if you forget the ReLU

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
    notes = [
        f"unit {j + 1} is inactive for this input: its pre-activation is {v}, so ReLU outputs 0"
        if v < 0 else
        f"unit {j + 1} sits exactly at 0, where ReLU outputs 0: it had nothing to lose"
        for j, v in enumerate(z1) if v <= 0
    ]
    if len(notes) == 1:
        relu_lines = [f"{relu_line} ({notes[0]})"]
    elif notes:
        relu_lines = [f"{relu_line}, with {len(notes)} units set to 0:"] + [f"- {n}" for n in notes]
    else:
        relu_lines = [
            f"{relu_line} (every pre-activation is positive, so ReLU passes them all through)"
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
        _lesson(z1, W2, b2, z2, linear),
    ]
    shown = z2[0] if n_out == 1 else _vector(z2)

    return {
        "prompt": "\n".join(prompt_lines),
        "answer": z2[0] if n_out == 1 else list(z2),
        "answer_text": str(shown),
        "solution": "\n".join(solution_lines),
        "params": params,
    }
