"""Numeric variants of the weight-decay item: the per-step L2 shrink factor 1 - alpha * lam.

Every variant asks for the factor (a fixed contract: tools read `alpha`, `lam` and expect
the answer 1 - alpha * lam); the regularised gradient grad + lam * w is worked through in
each solution instead of being asked on its own.
"""

import math
import random
from decimal import Decimal
from fractions import Fraction

from drill.deckkit import check_seed, decimal_text

# Learning rates and penalty strengths as decimal strings, so the arithmetic is exact.
_ALPHAS = ("0.1", "0.05", "0.02", "0.01", "0.005", "0.003", "0.001", "0.0005")
_LAMS = ("0.1", "0.05", "0.02", "0.01", "0.005", "0.001", "0.0005", "0.0001")

_TOLERANCE = {"rtol": 1e-9, "atol": 1e-12}


def generate(seed: int) -> dict:
    """Variant `seed` of the weight-decay item."""
    seed = check_seed(seed)
    if seed == 0:
        return _factor("0.01", "0.01")  # the self-check's own numbers: 0.9999
    rng = random.Random(seed)
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
        rf"For example, a weight \(w = 2\) with data gradient \(\nabla L = 0.5\) has regularised "
        rf"gradient \(0.5 + {decimal_text(l)} \times 2 = {decimal_text(Decimal('0.5') + 2 * l)}\).",
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
