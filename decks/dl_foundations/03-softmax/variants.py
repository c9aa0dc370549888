"""Numeric practice for the softmax item: small softmax values worked by hand.

About 70% of variants write the logits as c + ln w (probabilities w / sum(w), with a shared
constant c that is sometimes +-1000: the overflow lesson); the rest give plain integer logits
and a table of exp values, answered to three decimals. One edge case is kept on purpose, at
about 2.5%: all logits equal, where every class gets the same share, 1/n.
"""

import math
import random
from fractions import Fraction

from drill.deckkit import check_seed

# Logits of the form c + ln w give probabilities w / sum(w); these weights give short decimals.
_WEIGHTS = (
    (1, 1), (1, 3), (1, 4), (1, 9), (2, 3), (1, 7),
    (1, 1, 2), (1, 2, 5), (1, 3, 4), (2, 3, 5), (1, 4, 5), (1, 1, 8), (1, 1, 3),
    (1, 1, 1, 1), (1, 1, 2, 4), (1, 2, 2, 5), (1, 1, 1, 5),
)
_EQUAL = tuple(w for w in _WEIGHTS if len(set(w)) == 1)
_UNEQUAL = tuple(w for w in _WEIGHTS if len(set(w)) > 1)
_EQUAL_SHARE = 0.025
_LN_SHARE = 0.7
# A shared constant in every logit: big ones are the overflow lesson.
_SHIFTS = (0, 0, 0, 1000, 1000, -1000, 100)
# e^{-d} to four decimals, for logits d below the largest one.
_EXP = {0: "1", 1: "0.3679", 2: "0.1353", 3: "0.0498"}
_TOLERANCE = {"rtol": 0.0, "atol": 5e-4}
_DEFINITION = (
    r"Softmax turns logits into probabilities: "
    r"\(p_i = \frac{\exp(z_i)}{\text{sum of all } \exp(z_j)}\)."
)


def generate(seed: int) -> dict:
    """Variant `seed` of the softmax practice (seed 0 works too; the deck uses seeds >= 1)."""
    seed = check_seed(seed)
    rng = random.Random(seed)
    roll = rng.random()
    if roll < _EQUAL_SHARE:
        return _ln_form(rng, _EQUAL)
    if roll < _LN_SHARE:
        return _ln_form(rng, _UNEQUAL)
    return _exp_form(rng)


def _decimal(q):
    """A probability with a short decimal expansion, as text."""
    return f"{float(q):.6f}".rstrip("0").rstrip(".")


def _frac(q):
    return rf"\frac{{{q.numerator}}}{{{q.denominator}}}"


def _list(items):
    return "[" + ", ".join(items) + "]"


def _overflow_note(c, via_max=False):
    """Why the shift matters in floating point, when it does."""
    if c >= 710:
        if via_max:
            return (
                rf" Without this step \(\exp({c})\) would overflow to inf in float64 and "
                "the division would give nan."
            )
        return (
            rf" A direct \(\exp({c})\) would overflow to inf in float64 and the division "
            "would give nan; a stable softmax avoids this the same way, by subtracting the "
            "largest logit."
        )
    if c <= -746:
        return (
            rf" A direct \(\exp({c})\) would underflow to 0 for every class and the division "
            "would be 0/0; subtracting the largest logit avoids this too."
        )
    return ""


def _ln_form(rng, choices):
    weights = list(rng.choice(choices))
    rng.shuffle(weights)
    c = rng.choice(_SHIFTS)
    if c == 0 and len(set(weights)) == 1:
        c = rng.choice((2, 5, 7))  # equal logits: show them as plain numbers
    ask_all = len(weights) <= 3 and rng.random() < 0.6
    index = None if ask_all else rng.randrange(len(weights))

    def logit_text(w):
        if w == 1:
            return str(c)
        return rf"\ln {w}" if c == 0 else rf"{c} + \ln {w}"

    shown = _list(logit_text(w) for w in weights)
    total = sum(weights)
    probs = [Fraction(w, total) for w in weights]

    lines = [_DEFINITION]
    if ask_all:
        lines.append(
            rf"Compute softmax(z) for the logits \(z = {shown}\). "
            "Give all the probabilities as a list."
        )
    else:
        lines.append(
            rf"For the logits \(z = {shown}\), what probability does softmax give the class "
            rf"with logit \({logit_text(weights[index])}\)?"
        )
    lines.append("No calculator needed.")

    steps = []
    if c != 0:
        stripped = _list(logit_text(w).replace(f"{c} + ", "") if w != 1 else "0" for w in weights)
        steps.append(
            f"1. Every logit contains the same constant {c}, and softmax does not change when "
            rf"you subtract the same number from all logits, so take it away: \(z - {c} = "
            rf"{stripped}\)." if c > 0 else
            f"1. Every logit contains the same constant {c}, and softmax does not change when "
            rf"you add the same number to all logits, so add {-c}: \(z + {-c} = {stripped}\)."
        )
        steps[-1] += _overflow_note(c)
    n = len(steps) + 1
    exps = ", ".join(
        (r"\exp(0) = 1" if w == 1 else rf"\exp(\ln {w}) = {w}") for w in dict.fromkeys(weights)
    )
    steps.append(
        rf"{n}. Exponentiate: \({exps}\), so the weights are {_list(str(w) for w in weights)} "
        f"with sum {total}."
    )
    if ask_all:
        answer = [float(p) for p in probs]
        answer_text = _list(_decimal(p) for p in probs)
        steps.append(
            rf"{n + 1}. Divide by the sum: \(p = {_list(_frac(p) for p in probs)} = "
            rf"\mathbf{{{answer_text}}}\)."
        )
    else:
        p = probs[index]
        answer = float(p)
        answer_text = _decimal(p)
        steps.append(
            rf"{n + 1}. Divide by the sum: the class with logit "
            rf"\({logit_text(weights[index])}\) gets "
            rf"\(\frac{{{weights[index]}}}{{{total}}} = \mathbf{{{answer_text}}}\)."
        )
    steps.append(
        "The lesson: only the differences between logits matter, so shifting them all by "
        "a constant leaves the probabilities unchanged. The probabilities always sum to 1."
    )
    if len(set(weights)) == 1:
        steps[-1] += (
            f" Equal logits have no differences at all, so each of the {len(weights)} classes "
            f"gets the same share, 1/{len(weights)}, whatever the logits' common value."
        )
    return {
        "prompt": "\n".join(lines),
        "answer": answer,
        "answer_text": answer_text,
        "solution": "\n".join(steps),
        "params": {
            "logits": [c + math.log(w) if w != 1 else float(c) for w in weights],
            "form": "ln",
            "shift": c,
            "weights": weights,
            "ask": "all" if ask_all else "one",
            **({} if ask_all else {"index": index}),
        },
        "tolerance": dict(_TOLERANCE),
    }


def _exp_form(rng):
    while True:
        n = rng.choice((2, 3, 3))
        top = rng.choice((0, 0, 1000)) + rng.randint(0, 3)
        gaps = [0] + [rng.randint(0, 3) for _ in range(n - 1)]
        rng.shuffle(gaps)
        index = rng.randrange(n)
        if len(set(gaps)) == 1:
            continue  # all equal: that is the ln form's job
        exact = [math.exp(-d) for d in gaps]
        p_true = exact[index] / sum(exact)
        shown = [Fraction(_EXP[d]) for d in gaps]
        p_shown = shown[index] / sum(shown)
        # Working from the printed e-values must round to the same three decimals.
        # Keep clear of the rounding boundary, where the tolerance would be a coin toss.
        if (round(float(p_shown), 3) == round(p_true, 3)
                and abs(round(p_true, 3) - p_true) < 4.5e-4):
            break
    logits = [top - d for d in gaps]
    answer_text = f"{round(p_true, 3):.3f}"
    used = sorted({d for d in gaps if d})
    table = ", ".join(rf"\(\exp(-{d}) \approx {_EXP[d]}\)" for d in used)

    lines = [
        _DEFINITION,
        rf"The logits are \(z = {_list(str(v) for v in logits)}\).",
        f"What probability does softmax give the class with logit {logits[index]}? "
        "Give it to three decimal places.",
        f"You may use {table}.",
    ]
    diffs = _list(str(-d) for d in gaps)
    if top == 0:
        first = (
            "1. The largest logit is already 0, so every exponent is 0 or below and nothing "
            "needs shifting."
        )
    else:
        first = (
            f"1. Subtract the largest logit, {top}, from every logit (softmax does not change "
            rf"when all logits move by the same amount): \(z - {top} = {diffs}\)."
        )
        first += _overflow_note(top, via_max=True)
    values = [_EXP[d] for d in gaps]
    total = sum(shown)
    total_text = f"{float(total):.4f}".rstrip("0").rstrip(".")
    steps = [
        first,
        rf"2. Exponentiate, using the values given: {_list(values)}, which sum to {total_text}.",
        rf"3. Divide: the class with logit {logits[index]} gets "
        rf"\(\frac{{{values[index]}}}{{{total_text}}} "
        rf"\approx \mathbf{{{answer_text}}}\).",
        "The lesson: subtracting the largest logit leaves every exponent at 0 or below, so "
        "nothing can overflow, and the probabilities come out the same.",
    ]
    return {
        "prompt": "\n".join(lines),
        "answer": p_true,
        "answer_text": answer_text,
        "solution": "\n".join(steps),
        "params": {
            "logits": [float(v) for v in logits],
            "form": "exp",
            "ask": "one",
            "index": index,
        },
        "tolerance": dict(_TOLERANCE),
    }
