"""Numeric practice for the learning-rate item: one gradient step on a quadratic."""

import random
from decimal import Decimal
from fractions import Fraction

from drill.deckkit import check_seed, decimal_text, factor_text

_CURVATURES = ("0.5", "1", "2")
_RATES = (
    "0.001", "0.01", "0.05", "0.1", "0.2", "0.25", "0.3", "0.4", "0.5",
    "0.6", "0.75", "0.8", "1", "1.5", "2", "3", "10",
)
# How often each behaviour comes up; "edge" is a factor of exactly 0 or -1.
_KINDS = (("converge", 35), ("oscillate", 25), ("diverge", 30), ("edge", 10))
_TOLERANCE = {"rtol": 1e-9, "atol": 1e-9}


def generate(seed: int) -> dict:
    """Variant `seed` of the one-step practice (seed 0 works too; the deck uses seeds >= 1)."""
    seed = check_seed(seed)
    rng = random.Random(seed)
    a = rng.choice(_CURVATURES)
    kind = rng.choices([k for k, _ in _KINDS], weights=[w for _, w in _KINDS])[0]
    rates = [lr for lr in _RATES if _kind(_factor(a, lr)) == kind]
    lr = rng.choice(rates)
    w0 = rng.choice([v for v in range(-5, 6) if v])
    return _build(a, w0, lr)


def _factor(a, lr):
    """What one step multiplies w by: 1 - 2 a lr."""
    return 1 - 2 * Decimal(a) * Decimal(lr)


def _kind(f):
    if f in (0, -1):
        return "edge"
    if f > 0:
        return "converge"
    return "oscillate" if f > -1 else "diverge"


def _build(a, w0, lr):
    ad, lrd = Decimal(a), Decimal(lr)
    slope = 2 * ad  # L'(w) = 2a w
    grad = slope * w0
    move = lrd * grad
    f = _factor(a, lr)
    w1 = w0 * f
    answer = float(w0 * (1 - 2 * Fraction(a) * Fraction(lr)))

    loss = "w^{2}" if ad == 1 else f"{decimal_text(ad)} w^{{2}}"
    prompt = "\n".join([
        rf"You minimise \(L(w) = {loss}\) with gradient descent, starting from "
        rf"\(w_0 = {w0}\) with learning rate \(\alpha = {decimal_text(lrd)}\).",
        r"What is \(w_1\), the weight after one step?",
    ])

    slope_w = "w" if slope == 1 else f"{decimal_text(slope)} w"
    at_w0 = decimal_text(grad) if slope == 1 else (
        rf"{decimal_text(slope)} \times {factor_text(w0)} = {decimal_text(grad)}"
    )
    steps = [
        rf"The gradient of \(L(w) = {loss}\) is \(\nabla L(w) = {slope_w}\); at "
        rf"\(w_0 = {w0}\) it is \({at_w0}\).",
        rf"One step: \(w_1 = w_0 - \alpha \nabla L(w_0) = {w0} - {decimal_text(lrd)} \times "
        rf"{factor_text(grad)} = {w0} - {factor_text(move)} = \mathbf{{{decimal_text(w1)}}}\).",
        rf"Put another way: for \(L(w) = a w^{{2}}\) a step is \(w_1 = w_0(1 - 2a\alpha)\). "
        rf"Here \(a = {decimal_text(ad)}\), so every step multiplies w by "
        rf"\(1 - 2 \times {decimal_text(ad)} \times {decimal_text(lrd)} = {decimal_text(f)}\).",
    ]
    limit = decimal_text(1 / ad)
    if f == 0:
        verdict = (
            rf"The factor is 0: this learning rate, \(\alpha = \frac{{1}}{{2a}}\), lands exactly "
            "on the minimum w = 0 in a single step. On a real loss you will rarely be this lucky."
        )
    elif f == -1:
        verdict = (
            rf"The factor is exactly -1: w jumps between {w0} and {-w0} forever, neither "
            rf"converging nor diverging. \(\alpha = \frac{{1}}{{a}} = {limit}\) is the edge of "
            "stability for this loss; any larger rate diverges."
        )
    elif f >= Decimal("0.99"):
        verdict = (
            f"The factor {decimal_text(f)} is just below 1, so w creeps toward the minimum at 0 "
            "without changing sign, but very slowly: the steps converge, yet this learning "
            "rate is too small to get there in a sensible number of steps."
        )
    elif f > 0:
        verdict = (
            f"Since 0 < {decimal_text(f)} < 1, repeated steps shrink w steadily toward the minimum "
            "at 0 without changing its sign: the steps converge."
        )
    elif f > -1:
        verdict = (
            f"The factor {decimal_text(f)} is negative but bigger than -1: each step jumps past the "
            "minimum, so w flips sign, yet its size still shrinks. The steps oscillate and "
            "converge."
        )
    else:
        verdict = (
            f"The factor {decimal_text(f)} is below -1: each step overshoots the minimum by more "
            "than it started from, so w flips sign and grows. The steps diverge; for this "
            rf"loss that happens for any \(\alpha > \frac{{1}}{{a}} = {limit}\)."
        )
    steps.append(verdict)
    return {
        "prompt": prompt,
        "answer": answer,
        "answer_text": decimal_text(w1),
        "solution": "\n".join(steps),
        "params": {"a": float(a), "w0": w0, "lr": float(lr)},
        "tolerance": dict(_TOLERANCE),
    }
