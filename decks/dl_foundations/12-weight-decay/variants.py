"""Numeric variants of the weight-decay item: L2 regularisation under plain SGD.

Every variant sets up the same training (penalised loss L + lambda/2 ||w||^2, SGD with learning
rate alpha) and asks, in turn (`asks` in params, each about a third of seeds >= 1):

- "factor":   the number that multiplies w in the expanded step, 1 - alpha * lam.
- "gradient": the regularised gradient for given w and grad L: grad + lam * w.
- "step":     w after one SGD step for given w and grad L: w * (1 - alpha * lam) - alpha * grad.

Seed 0 is the self-check's own question (alpha = lam = 0.01, asks "factor", answer 0.9999): how
the penalty changes the gradient, and so which factor multiplies w at every step. The prompts
leave the shape of the update for the learner to find; the solutions derive grad L + lam * w.

params: `alpha`, `lam`, `asks`, and `w`, `grad` for the gradient and step questions. Factor
variants work a one-step example with their own w and grad L, drawn from the seed. alpha * lam
stays between 2e-5 and 0.01, so a factor never reads as a row of nines to count. All arithmetic
is exact (Decimal for the text, Fraction for the answer).
"""

import math
import random
from decimal import Decimal
from fractions import Fraction

from drill.deckkit import check_seed, decimal_text, factor_text

# Learning rates and penalty strengths as decimal strings, so the arithmetic is exact.
_ALPHAS = ("0.1", "0.05", "0.02", "0.01", "0.005", "0.001")
_LAMS = ("0.1", "0.05", "0.01", "0.005", "0.001", "0.0005", "0.0001")
# alpha * lam between these: 0.99998 is the longest factor, 0.99 the smallest.
_MIN_PRODUCT = Decimal("0.00002")
_MAX_PRODUCT = Decimal("0.01")
_PAIRS = tuple(
    (a, lm) for a in _ALPHAS for lm in _LAMS
    if _MIN_PRODUCT <= Decimal(a) * Decimal(lm) <= _MAX_PRODUCT
)
_ASKS = ("factor", "gradient", "step")

_TOLERANCE = {"rtol": 1e-9, "atol": 1e-12}
_PENALTY = r"\(L_{\text{reg}} = L + \frac{\lambda}{2} \|w\|^{2}\)"


def generate(seed: int) -> dict:
    """Variant `seed` of the weight-decay item."""
    seed = check_seed(seed)
    rng = random.Random(seed)
    if seed == 0:
        alpha, lam, asks = "0.01", "0.01", "factor"  # the self-check's own numbers: 0.9999
    else:
        alpha, lam = rng.choice(_PAIRS)
        asks = rng.choice(_ASKS)
    w, grad = _weight(rng), _gradient(rng)
    return _build(alpha, lam, asks, w, grad)


def _weight(rng):
    """A weight with one decimal, from -3 to 3, never 0."""
    return str(Decimal(rng.choice([v for v in range(-30, 31) if v])) / 10)


def _gradient(rng):
    """A data gradient with one decimal, from -2 to 2, never 0."""
    return str(Decimal(rng.choice([v for v in range(-20, 21) if v])) / 10)


def _plus(value):
    """'+ 0.5' or '- 0.5': a term added to a sum, without '+ (-0.5)'."""
    text = decimal_text(value)
    return "- " + text[1:] if text.startswith("-") else "+ " + text


def _build(alpha, lam, asks, w, grad):
    a, lm, wd, gd = Decimal(alpha), Decimal(lam), Decimal(w), Decimal(grad)
    product = a * lm
    factor = 1 - product
    reg_grad = gd + lm * wd
    stepped = wd * factor - a * gd
    t = decimal_text  # short name: the solutions are mostly numbers

    # Fraction of the decimal strings is exact; float() then rounds once, correctly.
    fa, fl, fw, fg = (Fraction(v) for v in (alpha, lam, w, grad))
    if asks == "factor":
        answer, shown = 1 - fa * fl, factor
    elif asks == "gradient":
        answer, shown = fg + fl * fw, reg_grad
    else:
        answer, shown = fw * (1 - fa * fl) - fa * fg, stepped

    setup = [
        f"A loss L is regularised with an L2 penalty, {_PENALTY}, and the weights are trained "
        rf"with plain SGD on \(L_{{\text{{reg}}}}\).",
        rf"The learning rate is \(\alpha = {t(a)}\) and the penalty strength is "
        rf"\(\lambda = {t(lm)}\).",
    ]
    given = (
        rf"One weight has the value \(w = {t(wd)}\), and the gradient of the unregularised loss "
        rf"with respect to it is \(\nabla L = {t(gd)}\)."
    )
    if asks == "factor":
        ask = [
            "How does adding the penalty change the gradient? Put the new gradient into one SGD "
            "step and expand it: what number multiplies w in the result?",
        ]
    elif asks == "gradient":
        ask = [given, r"What is the gradient of \(L_{\text{reg}}\) with respect to this weight?"]
    else:
        ask = [given, "What is the value of this weight after one SGD step?"]

    derive = (
        r"The penalty \(\frac{\lambda}{2} \|w\|^{2}\) has gradient \(\lambda w\) (the "
        r"\(\frac{1}{2}\) cancels the 2 from the square), so the gradient gains one term: "
        r"\(\nabla L_{\text{reg}} = \nabla L + \lambda w\)."
    )
    expand = (
        r"One SGD step with it: \(w \leftarrow w - \alpha(\nabla L + \lambda w) = "
        r"w(1 - \alpha\lambda) - \alpha \nabla L\)."
    )

    def factor_line(result):
        return rf"\(1 - \alpha\lambda = 1 - {t(a)} \times {t(lm)} = 1 - {t(product)} = {result}\)"

    grad_sum = rf"{t(gd)} + {t(lm)} \times {factor_text(wd)} = {t(gd)} {_plus(lm * wd)}"
    step_sum = (
        rf"{t(wd)} \times {t(factor)} - {t(a)} \times {factor_text(gd)} = "
        rf"{t(wd * factor)} {_plus(-a * gd)}"
    )
    if asks == "factor":
        steps = [
            derive,
            expand,
            "The factor that multiplies w is " + factor_line(rf"\mathbf{{{t(factor)}}}") + ".",
            rf"For example, a weight \(w = {t(wd)}\) with data gradient \(\nabla L = {t(gd)}\) has "
            rf"regularised gradient \({grad_sum} = {t(reg_grad)}\), and one step takes it to "
            rf"\({step_sum} = {t(stepped)}\).",
        ]
    elif asks == "gradient":
        steps = [
            derive,
            rf"Here: \(\nabla L_{{\text{{reg}}}} = {grad_sum} = \mathbf{{{t(reg_grad)}}}\).",
            rf"The extra term \(\lambda w = {t(lm * wd)}\) has the sign of w, so stepping against "
            "it always pulls the weight toward 0.",
            expand + " The factor is " + factor_line(t(factor)) + ".",
        ]
    else:
        steps = [
            derive,
            expand,
            "The factor: " + factor_line(t(factor)) + ".",
            rf"So \(w \leftarrow {step_sum} = \mathbf{{{t(stepped)}}}\).",
            rf"Check by the other route: "
            rf"\(\nabla L_{{\text{{reg}}}} = {grad_sum} = {t(reg_grad)}\), and "
            rf"\({t(wd)} - {t(a)} \times {factor_text(reg_grad)} = {t(stepped)}\).",
        ]
    n_steps = round(1 / product)
    left = math.exp(n_steps * math.log1p(-float(product)))
    steps.append(
        f"The lesson: every step shrinks each weight by {t(product * 100)}% before the data "
        "gradient acts; that steady pull toward 0 is why L2 regularisation under SGD is called "
        f"weight decay. It adds up: after about {n_steps:,} steps a weight with no data gradient "
        rf"would be down to \({t(factor)}^{{{n_steps}}} \approx {left:.2f}\) of its size, because "
        rf"\((1 - \alpha\lambda)^{{1/(\alpha\lambda)}} \approx \exp(-1)\)."
    )

    params = {"alpha": float(a), "lam": float(lm), "asks": asks}
    if asks != "factor":
        params.update(w=float(wd), grad=float(gd))
    return {
        "prompt": "\n".join(setup + ask),
        "answer": float(answer),
        "answer_text": t(shown),
        "solution": "\n".join(steps),
        "params": params,
        "tolerance": dict(_TOLERANCE),
    }
