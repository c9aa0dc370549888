"""Numeric practice for the learning-rate item: gradient descent on a one-weight quadratic.

Every variant uses f(w) = a w^2 / 2, the form whose curvature f''(w) is a itself, and says so
in the prompt. Its gradient is a w, so a step is w <- (1 - eta a) w: the per-step multiplier
m = 1 - eta a decides everything. `asks` in params says what a variant wants typed:

- "limit":      the largest stable learning rate, 2 / a (params: a).
- "multiplier": m = 1 - eta a for a given rate (params: a, lr).
- "one":        w after one step from w0 (params: a, lr, w0).
- "three":      w after three steps from w0, w0 m^3 (params: a, lr, w0).

Whether a rate converges, oscillates or diverges is asked through the multiplier rather than as
a numbered choice. The multiplier is a number the learner has to work out, drill can check it
to a tolerance, and its value carries the verdict: between 0 and 1 the steps converge (crawling
when it is close to 1), between -1 and 0 they overshoot but still converge, below -1 they
diverge. A "type 1, 2 or 3" answer would test a lookup, and a near miss would teach nothing.
The solution spells out the verdict, so the prompt asks the learner to decide it first.

The rates are drawn so that each behaviour comes up (for every ask except "limit"): too slow
(0.95 <= m < 1; never for three steps, which need a one-decimal multiplier), converging,
oscillating, diverging. On purpose, about 8% of those are the two edges: m = 0 (one step
lands on the minimum) and m = -1 (w bounces between w0 and -w0 forever, the edge of
stability). All arithmetic is exact (Decimal for the text, Fraction for the answer).
"""

import math
import random
from decimal import Decimal
from fractions import Fraction

from drill.deckkit import check_seed, decimal_text, factor_text

_CURVATURES = ("0.5", "1", "2", "4", "5", "8", "10", "20")
_RATES = (
    "0.001", "0.002", "0.005", "0.01", "0.02", "0.025", "0.05", "0.1", "0.15", "0.2", "0.25",
    "0.3", "0.4", "0.5", "0.6", "0.75", "0.8", "1", "1.2", "1.5", "2", "2.5", "3", "4", "5",
    "8", "10",
)
_ASKS = (("limit", 25), ("multiplier", 30), ("one", 25), ("three", 20))
# How often each behaviour comes up; the two edges are m = 0 and m = -1.
_KINDS = (("slow", 15), ("converge", 25), ("oscillate", 25), ("diverge", 27), ("edge", 8))
# From here up to 1 a rate counts as too small: at least 14 steps to halve w.
_SLOW = Decimal("0.95")
_TOLERANCE = {"rtol": 1e-9, "atol": 1e-9}


def generate(seed: int) -> dict:
    """Variant `seed` of the learning-rate practice (seed 0 works too; the deck uses seeds >= 1)."""
    seed = check_seed(seed)
    rng = random.Random(seed)
    asks = _pick(rng, _ASKS)
    if asks == "limit":
        return _limit(rng.choice(_CURVATURES))
    # Three steps by hand need a one-decimal multiplier, so none is slow (0.95 or more).
    kind = _pick(rng, _KINDS if asks != "three" else [k for k in _KINDS if k[0] != "slow"])
    pairs = [
        (a, lr) for a in _CURVATURES for lr in _RATES
        if _kind(_multiplier(a, lr)) == kind and (asks != "three" or _cubes_easily(a, lr))
    ]
    a, lr = rng.choice(pairs)
    w0 = rng.choice([v for v in range(-5, 6) if v])
    return _steps(a, lr, w0, asks)


def _pick(rng, table):
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _multiplier(a, lr):
    """What one step multiplies w by: 1 - eta a."""
    return 1 - Decimal(lr) * Decimal(a)


def _kind(m):
    if m in (0, -1):
        return "edge"
    if m >= _SLOW:
        return "slow"
    if m > 0:
        return "converge"
    return "oscillate" if m > -1 else "diverge"


def _cubes_easily(a, lr):
    """Three steps by hand: a multiplier with one decimal place, at most 3 in size."""
    m = _multiplier(a, lr)
    return m == m.quantize(Decimal("0.1")) and abs(m) <= 3


def _minus(value):
    """'- 3' or '+ 3' for subtracting value, without '- (-3)'."""
    text = decimal_text(value)
    return "+ " + text[1:] if text.startswith("-") else "- " + text


def _setup(a):
    half = Decimal(a) / 2
    written = "w^{2}" if half == 1 else f"{decimal_text(half)} w^{{2}}"
    return (
        rf"You minimise \(f(w) = a w^{{2}} / 2\) with curvature "
        rf"\(a = {decimal_text(Decimal(a))}\), that is \(f(w) = {written}\), by gradient descent"
    )


_STEP = (
    r"The gradient of \(f(w) = a w^{2} / 2\) is \(f'(w) = a w\), so one step is "
    r"\(w \leftarrow w - \eta a w = (1 - \eta a) w\): every step multiplies w by the same "
    r"number, \(m = 1 - \eta a\)."
)


def _limit(a):
    ad = Decimal(a)
    limit = 2 / ad
    half = 1 / ad
    prompt = "\n".join([
        _setup(a) + r" with learning rate \(\eta\).",
        r"From any starting point, the steps converge to the minimum at w = 0 when \(\eta\) is "
        "below a certain value, and fail to converge at or above it. What is that value, the "
        "largest stable learning rate?",
    ])
    steps = [
        _STEP,
        r"The steps shrink w toward 0 exactly when \(|1 - \eta a| < 1\), that is when "
        rf"\(0 < \eta < \frac{{2}}{{a}} = \frac{{2}}{{{decimal_text(ad)}}} = "
        rf"\mathbf{{{decimal_text(limit)}}}\).",
        r"At \(\eta = \frac{2}{a}\) the multiplier is -1: w flips between \(w_0\) and "
        r"\(-w_0\) forever. Above it, \(m < -1\): w flips sign and grows with every step, and "
        "the run diverges.",
        rf"Below the limit there are two regimes: up to \(\eta = \frac{{1}}{{a}} = "
        rf"{decimal_text(half)}\) the multiplier is positive and w slides straight down to 0 (at "
        "exactly that rate it gets there in one step); between that and the limit each step "
        "overshoots the minimum, so w oscillates, but it still converges.",
        "The lesson: the steeper the curve, the smaller the safe step. In a network the sharpest "
        "direction of the loss sets this limit, which is why a rate that trains one model "
        "smoothly can make another blow up.",
    ]
    return {
        "prompt": prompt,
        "answer": float(2 / Fraction(a)),
        "answer_text": decimal_text(limit),
        "solution": "\n".join(steps),
        "params": {"a": float(ad), "asks": "limit"},
        "tolerance": dict(_TOLERANCE),
    }


def _verdict(a, lr, m, w0=None):
    """What the multiplier m means for the run."""
    ad, t = Decimal(a), decimal_text
    edge, one_step = t(2 / ad), t(1 / ad)
    if m == 0:
        return (
            rf"The multiplier is 0: this rate, \(\eta = \frac{{1}}{{a}} = {one_step}\), lands "
            "exactly on the minimum w = 0 in a single step. On a real loss, with many directions "
            "of different curvature, you will rarely be this lucky."
        )
    if m == -1:
        where = f"between {w0} and {-w0}" if w0 is not None else "between w and -w"
        return (
            rf"The multiplier is exactly -1: w jumps {where} forever, neither converging nor "
            rf"diverging. \(\eta = \frac{{2}}{{a}} = {edge}\) is the edge of stability for this "
            "curve; any larger rate diverges."
        )
    if m >= _SLOW:
        halving = math.ceil(math.log(0.5) / math.log(float(m)))
        text = (
            rf"The multiplier {t(m)} is just below 1, so w creeps toward the minimum at 0 "
            f"without changing sign: each step removes only {t((1 - m) * 100)}% of the "
            f"distance, and it takes about {halving:,} steps just to halve it. The steps converge, "
            "but slowly"
        )
        if m >= Decimal("0.99"):
            return text + (
                ": this learning rate is too small to get anywhere in a sensible number of "
                "steps, and the loss curve would look almost flat."
            )
        return text + "; a larger rate would get there much sooner."
    if m > 0:
        return (
            f"Since 0 < {t(m)} < 1, repeated steps shrink w steadily toward the minimum at 0 "
            "without changing its sign: the steps converge."
        )
    if m > -1:
        return (
            f"The multiplier {t(m)} is negative but above -1: each step jumps past the minimum, "
            "so w flips sign, yet its size still shrinks. The steps oscillate and converge."
        )
    return (
        f"The multiplier {t(m)} is below -1: each step overshoots the minimum by more than it "
        "started from, so w flips sign and grows. The steps diverge; for this curvature that "
        rf"happens for any \(\eta > \frac{{2}}{{a}} = {edge}\)."
    )


def _steps(a, lr, w0, asks):
    ad, lrd, t = Decimal(a), Decimal(lr), decimal_text
    m = _multiplier(a, lr)
    m_line = (
        rf"\(m = 1 - \eta a = 1 - {t(lrd)} \times {t(ad)} = 1 - {t(lrd * ad)} = {{}}\)"
    )
    exact_m = 1 - Fraction(lr) * Fraction(a)
    lines = [_setup(a) + rf" with learning rate \(\eta = {t(lrd)}\)."]
    if asks == "multiplier":
        lines += [
            "Every step multiplies w by the same number. What is that number?",
            "Its value tells you whether the steps converge, oscillate or diverge: decide which "
            "before you look at the solution.",
        ]
        answer, shown = exact_m, m
        steps = [
            _STEP,
            "Here " + m_line.replace("{}", rf"\mathbf{{{t(m)}}}") + ".",
            _verdict(a, lr, m),
        ]
    elif asks == "one":
        lines.append(rf"Starting from \(w_0 = {w0}\), what is \(w_1\), the weight after one step?")
        grad = ad * w0
        w1 = w0 * m
        answer, shown = w0 * exact_m, w1
        at_w0 = (
            rf"{t(ad)} \times {factor_text(w0)} = {t(grad)}" if ad != 1 else t(grad)
        )
        steps = [
            rf"The gradient of \(f(w) = a w^{{2}} / 2\) is \(f'(w) = a w\); at \(w_0 = {w0}\) it "
            rf"is \({at_w0}\).",
            rf"One step: \(w_1 = w_0 - \eta f'(w_0) = {w0} - {t(lrd)} \times {factor_text(grad)} "
            rf"= {w0} {_minus(lrd * grad)} = \mathbf{{{t(w1)}}}\).",
            rf"Put another way: every step multiplies w by {m_line.replace('{}', t(m))}, and "
            rf"\({factor_text(w0)} \times {factor_text(m)} = {t(w1)}\).",
            _verdict(a, lr, m, w0),
        ]
    else:
        lines.append(
            rf"Starting from \(w_0 = {w0}\), what is \(w_3\), the weight after three steps?"
        )
        ws = [Decimal(w0)]
        for _ in range(3):
            ws.append(ws[-1] * m)
        answer, shown = w0 * exact_m**3, ws[3]
        walk = ", ".join(
            rf"\(w_{k + 1} = {factor_text(ws[k])} \times {factor_text(m)} = "
            + (rf"\mathbf{{{t(ws[k + 1])}}}" if k == 2 else t(ws[k + 1])) + r"\)"
            for k in range(3)
        )
        steps = [
            _STEP,
            "Here " + m_line.replace("{}", t(m)) + ".",
            f"So {walk}.",
            rf"In one go: \(w_3 = w_0 m^{{3}} = {factor_text(w0)} \times {factor_text(m)}^{{3}} "
            rf"= {t(ws[3])}\).",
            _verdict(a, lr, m, w0),
        ]
    params = {"a": float(ad), "lr": float(lrd), "asks": asks}
    if asks != "multiplier":
        params["w0"] = w0
    return {
        "prompt": "\n".join(lines),
        "answer": float(answer),
        "answer_text": t(shown),
        "solution": "\n".join(steps),
        "params": params,
        "tolerance": dict(_TOLERANCE),
    }
