"""Numeric variants of the weight-decay item: the L2 shrink factor and the regularised gradient."""

import math
import random
from decimal import Decimal
from fractions import Fraction

from drill.deckkit import check_seed, decimal_text, factor_text

# Learning rates and penalty strengths as decimal strings, so the arithmetic is exact.
_ALPHAS = ("0.1", "0.05", "0.02", "0.01", "0.005", "0.003", "0.001", "0.0005")
_LAMS = ("0.1", "0.05", "0.02", "0.01", "0.005", "0.001", "0.0005", "0.0001")
# For the gradient question the penalty must be big enough to see in the sum.
_GRAD_LAMS = ("0.5", "0.2", "0.1", "0.05", "0.01")
_WEIGHTS = ("-3", "-2", "-1.5", "-1", "-0.5", "0.5", "1", "1.5", "2", "2.5", "3", "4")
_GRADS = tuple(str(Decimal(k) / 10) for k in range(-8, 9) if k)

_TOLERANCE = {"rtol": 1e-9, "atol": 1e-12}


def generate(seed: int) -> dict:
    """Variant `seed` of the weight-decay item."""
    seed = check_seed(seed)
    if seed == 0:
        return _factor("0.01", "0.01")  # the self-check's own numbers: 0.9999
    rng = random.Random(seed)
    if rng.random() < 1 / 3:
        return _gradient(
            rng.choice(_ALPHAS), rng.choice(_GRAD_LAMS), rng.choice(_WEIGHTS), rng.choice(_GRADS)
        )
    return _factor(rng.choice(_ALPHAS), rng.choice(_LAMS))


_PENALTY = r"\(L_{\text{reg}} = L + \frac{\lambda}{2} \|w\|^{2}\)"


def _factor(alpha, lam):
    a, l = Decimal(alpha), Decimal(lam)
    product = a * l
    factor = 1 - product
    # Fraction of the decimal strings is exact; float() then rounds once, correctly.
    answer = float(1 - Fraction(alpha) * Fraction(lam))
    steps = round(1 / product)
    left = math.exp(steps * math.log1p(-float(product)))
    prompt = "\n".join([
        f"You train with plain SGD and L2 regularisation: the penalised loss is {_PENALTY}.",
        rf"The learning rate is \(\alpha = {decimal_text(a)}\) and the penalty strength is "
        rf"\(\lambda = {decimal_text(l)}\).",
        "Every step multiplies each weight by a fixed factor before the gradient of L is "
        "subtracted. What is that factor?",
    ])
    solution = "\n".join([
        rf"The penalty \(\frac{{\lambda}}{{2}} \|w\|^{{2}}\) has gradient \(\lambda w\), so "
        rf"\(\nabla L_{{\text{{reg}}}} = \nabla L + \lambda w\).",
        rf"One SGD step: \(w \leftarrow w - \alpha(\nabla L + \lambda w) = "
        rf"w(1 - \alpha\lambda) - \alpha \nabla L\).",
        rf"The factor is \(1 - \alpha\lambda = 1 - {decimal_text(a)} \times {decimal_text(l)} = "
        rf"1 - {decimal_text(product)} = \mathbf{{{decimal_text(factor)}}}\).",
        f"The lesson: each step shrinks every weight by {decimal_text(product * 100)}% before the "
        f"data gradient acts; that steady pull toward 0 is the weight decay. It adds up: "
        f"after about {steps:,} steps a weight with no data gradient would be down to "
        rf"\({decimal_text(factor)}^{{{steps}}} \approx {left:.2f}\) of its size, because "
        rf"\((1 - \alpha\lambda)^{{1/(\alpha\lambda)}} \approx \exp(-1)\).",
    ])
    return {
        "prompt": prompt,
        "answer": answer,
        "answer_text": decimal_text(factor),
        "solution": solution,
        "params": {"alpha": float(alpha), "lam": float(lam), "question": "factor"},
        "tolerance": dict(_TOLERANCE),
    }


def _gradient(alpha, lam, w, grad):
    a, l, wd, gd = (Decimal(v) for v in (alpha, lam, w, grad))
    penalty = l * wd
    total = gd + penalty
    answer = float(Fraction(grad) + Fraction(lam) * Fraction(w))
    step = wd - a * total
    prompt = "\n".join([
        f"You add L2 regularisation to a model: the penalised loss is {_PENALTY}, "
        rf"with \(\lambda = {decimal_text(l)}\), and you train with SGD at learning rate "
        rf"\(\alpha = {decimal_text(a)}\).",
        rf"One weight currently has the value \(w = {decimal_text(wd)}\), and the gradient of the "
        rf"data loss for it is \(\nabla L = {decimal_text(gd)}\).",
        r"What is the gradient of the regularised loss, \(\nabla L_{\text{reg}}\), "
        "for this weight?",
    ])
    solution = "\n".join([
        rf"The penalty \(\frac{{\lambda}}{{2}} \|w\|^{{2}}\) has gradient \(\lambda w\), so "
        rf"\(\nabla L_{{\text{{reg}}}} = \nabla L + \lambda w\).",
        rf"Here \(\lambda w = {decimal_text(l)} \times {factor_text(wd)} = {decimal_text(penalty)}\).",
        rf"So \(\nabla L_{{\text{{reg}}}} = {decimal_text(gd)} + {factor_text(penalty)} = "
        rf"\mathbf{{{decimal_text(total)}}}\).",
        rf"The learning rate plays no part in the gradient itself; it only scales the step: "
        rf"\(w \leftarrow {decimal_text(wd)} - {decimal_text(a)} \times {factor_text(total)} = {decimal_text(step)}\).",
        "The lesson: the extra term always points the same way as w, so the update pulls "
        "the weight toward 0 (weight decay), and harder the larger the weight is.",
    ])
    return {
        "prompt": prompt,
        "answer": answer,
        "answer_text": decimal_text(total),
        "solution": solution,
        "params": {
            "alpha": float(alpha),
            "lam": float(lam),
            "question": "gradient",
            "w": float(w),
            "grad": float(grad),
        },
        "tolerance": dict(_TOLERANCE),
    }
