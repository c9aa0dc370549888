"""Numeric practice for the sigmoid-range item: small sigmoid values worked by hand.

About 20% of variants ask for sigma(-z) given sigma(z) (the symmetry about 0.5); the rest ask
for sigma(z) at z = +-ln k, where sigma comes out as a short exact decimal. One edge case is
kept on purpose, at about 2.5%: the midpoint, sigma(0) = 0.5.
"""

import math
import random
from fractions import Fraction

from drill.deckkit import check_seed

# sigma(ln k) = k / (k + 1): these k give short, exact decimals.
_KS = (3, 3, 4, 4, 9, 9, 19, 99)
_MIRROR_SHARE = 0.2
_MIDPOINT_SHARE = 0.025
_TOLERANCE = {"rtol": 0.0, "atol": 5e-4}


def generate(seed: int) -> dict:
    """Variant `seed` of the sigmoid practice (seed 0 works too; the deck uses seeds >= 1)."""
    seed = check_seed(seed)
    rng = random.Random(seed)
    roll = rng.random()
    if roll < _MIRROR_SHARE:
        return _mirror(rng.choice(_KS[:-1]), rng.choice((1, -1)))
    if roll < _MIRROR_SHARE + _MIDPOINT_SHARE:
        return _value(1, 0)
    return _value(rng.choice(_KS), rng.choice((1, -1)))


def _sigma(k, sign):
    """sigma(sign * ln k), exactly."""
    if sign == 0:
        return Fraction(1, 2)
    return Fraction(k, k + 1) if sign > 0 else Fraction(1, k + 1)


def _decimal(q):
    """A fraction with a short decimal expansion, as text (all of ours terminate)."""
    return f"{float(q):.6f}".rstrip("0").rstrip(".")


def _frac(q):
    return rf"\frac{{{q.numerator}}}{{{q.denominator}}}"


def _z_text(k, sign):
    if sign == 0:
        return "0"
    ln = rf"\ln {k}"
    approx = f"{math.log(k):.4f}"
    return rf"{ln} \approx {approx}" if sign > 0 else rf"-{ln} \approx -{approx}"


def _params(k, sign, question):
    return {"z": sign * math.log(k) if sign else 0.0, "k": k, "sign": sign, "question": question}


def _value(k, sign):
    s = _sigma(k, sign)
    prompt = "\n".join([
        r"The sigmoid is \(\sigma(z) = \frac{1}{1 + \exp(-z)}\).",
        rf"What is \(\sigma(z)\) for \(z = {_z_text(k, sign)}\)? No calculator needed: "
        "the answer is a short decimal.",
    ])
    if sign == 0:
        steps = [
            r"\(\exp(-0) = 1\), so \(\sigma(0) = \frac{1}{1 + 1} = \mathbf{0.5}\).",
            "Zero is the midpoint: positive inputs give more than 0.5, negative inputs less.",
        ]
    else:
        if sign > 0:
            e_text = rf"\exp(-z) = \exp(-\ln {k}) = \frac{{1}}{{{k}}}"
            sum_text = rf"\frac{{1}}{{1 + \frac{{1}}{{{k}}}}}"
        else:
            e_text = rf"\exp(-z) = \exp(\ln {k}) = {k}"
            sum_text = rf"\frac{{1}}{{1 + {k}}}"
        side = "above" if sign > 0 else "below"
        steps = [
            rf"\({e_text}\).",
            rf"So \(\sigma(z) = {sum_text} = {_frac(s)} = \mathbf{{{_decimal(s)}}}\).",
            r"A handy rule: \(\sigma(\ln k) = \frac{k}{k + 1}\) and "
            r"\(\sigma(-\ln k) = \frac{1}{k + 1}\).",
            f"z is {'positive' if sign > 0 else 'negative'}, so the output is {side} 0.5.",
        ]
    steps.append(
        "However large or small z gets, the output stays strictly between 0 and 1: "
        "it approaches 0 or 1 but never reaches them."
    )
    return {
        "prompt": prompt,
        "answer": float(s),
        "answer_text": _decimal(s),
        "solution": "\n".join(steps),
        "params": _params(k, sign, "value"),
        "tolerance": dict(_TOLERANCE),
    }


def _mirror(k, sign):
    s = _sigma(k, sign)
    m = 1 - s
    prompt = "\n".join([
        rf"You are told that \(\sigma(z) = {_decimal(s)}\) for some input z, where \(\sigma\) "
        "is the sigmoid.",
        r"Without working out z, what is \(\sigma(-z)\)?",
    ])
    steps = [
        r"The sigmoid is symmetric about the point (0, 0.5): "
        r"\(\sigma(-z) = \frac{1}{1 + \exp(z)} = \frac{\exp(-z)}{\exp(-z) + 1} = 1 - \sigma(z)\).",
        rf"So \(\sigma(-z) = 1 - {_decimal(s)} = \mathbf{{{_decimal(m)}}}\).",
        "Flipping the sign of z moves the output to the other side of 0.5 by the same "
        "distance; it stays strictly between 0 and 1.",
    ]
    return {
        "prompt": prompt,
        "answer": float(m),
        "answer_text": _decimal(m),
        "solution": "\n".join(steps),
        "params": _params(k, sign, "mirror"),
        "tolerance": dict(_TOLERANCE),
    }
