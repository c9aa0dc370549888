"""Numeric practice for the chain-rule item: backpropagate through a tiny scalar network by hand.

The network has one weight per layer and small integers throughout:
h = w1 * x, a = ReLU(h), p = w2 * a, L = (p - y)^2. A variant asks for dL/dw1 (about two
thirds of them: the long chain, through w2 and the ReLU) or dL/dw2 (the short one), and its
solution lists the forward pass, each local derivative, and their product.

On purpose, about a fifth of the variants put the ReLU in its off region (h < 0): the loss is
not 0, yet both gradients are 0. Their solutions say how this is the same zero as the inactive
unit of the forward-pass item, the mask in relu_backward and the ReLU factor of the hidden
delta. h is never exactly 0 (where ReLU has no slope of its own), and the error p - y is never
0 (a perfect prediction would make every gradient 0 for a dull reason).

params: `w1`, `w2`, `x`, `y` (integers) and `asks` ("w1" or "w2": the weight whose gradient
is asked for).
"""

import random

from drill.deckkit import check_seed

_OFF_SHARE = 0.2
_W1_SHARE = 0.65
_MAX_ERROR = 8
_MAX_ANSWER = 100
_TOLERANCE = {"rtol": 1e-9, "atol": 1e-9}
_NONZERO = tuple(v for v in range(-3, 4) if v)


def generate(seed: int) -> dict:
    """Variant `seed` of the chain-rule practice (seed 0 works too; the deck uses seeds >= 1)."""
    seed = check_seed(seed)
    rng = random.Random(seed)
    off = rng.random() < _OFF_SHARE
    asks = "w1" if rng.random() < _W1_SHARE else "w2"
    while True:
        w1, x, w2 = rng.choice(_NONZERO), rng.choice(_NONZERO), rng.choice(_NONZERO)
        y = rng.randint(-4, 4)
        h = w1 * x
        if (h < 0) != off:
            continue
        error = w2 * max(h, 0) - y
        if error == 0 or abs(error) > _MAX_ERROR:
            continue
        if abs(_gradients(w1, w2, x, y)[asks]) > _MAX_ANSWER:
            continue
        return _build(w1, w2, x, y, asks)


def _gradients(w1, w2, x, y):
    h = w1 * x
    a = max(h, 0)
    d_p = 2 * (w2 * a - y)
    return {"w1": d_p * w2 * (1 if h > 0 else 0) * x, "w2": d_p * a}


def _f(v):
    """A factor in a product: negative numbers get brackets."""
    return f"({v})" if v < 0 else str(v)


def _minus(v):
    """'- 3' or '+ 3' for subtracting v, without '- (-3)'."""
    return f"+ {-v}" if v < 0 else f"- {v}"


def _d(top, bottom):
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


def _build(w1, w2, x, y, asks):
    h = w1 * x
    a = max(h, 0)
    p = w2 * a
    error = p - y
    loss = error * error
    d_p = 2 * error
    slope = 1 if h > 0 else 0
    answer = _gradients(w1, w2, x, y)[asks]
    wrt = "w_1" if asks == "w1" else "w_2"

    prompt = "\n".join([
        "A tiny network with one weight per layer turns an input x and a target y into a loss "
        "in four steps:",
        r"\(h = w_1 x\), \(a = \text{ReLU}(h)\), \(p = w_2 a\), \(L = (p - y)^{2}\).",
        rf"With \(w_1 = {w1}\), \(w_2 = {w2}\), \(x = {x}\) and \(y = {y}\), what is "
        rf"\({_d('L', wrt)}\)? Work the forward pass first, then use the chain rule.",
    ])

    state = "on" if h > 0 else "off"
    steps = [
        rf"1. Forward pass: \(h = w_1 x = {_f(w1)} \times {_f(x)} = {h}\), "
        rf"\(a = \text{{ReLU}}({h}) = {a}\), \(p = w_2 a = {_f(w2)} \times {_f(a)} = {p}\), "
        rf"\(L = (p - y)^{{2}} = ({p} {_minus(y)})^{{2}} = {_f(error)}^{{2}} = {loss}\).",
    ]
    local = [rf"\({_d('L', 'p')} = 2(p - y) = 2 \times {_f(error)} = {d_p}\)"]
    if asks == "w1":
        local += [
            rf"\({_d('p', 'a')} = w_2 = {w2}\)",
            rf"\({_d('a', 'h')} = \text{{ReLU}}'(h) = {slope}\), because \(h = {h}\) is "
            + ("positive: the ReLU is on and passes changes through unchanged" if slope
               else "negative: the ReLU is in its off region, where it is flat"),
            rf"\({_d('h', 'w_1')} = x = {x}\)",
        ]
        chain = (
            rf"\({_d('L', 'w_1')} = {_d('L', 'p')} \cdot {_d('p', 'a')} \cdot {_d('a', 'h')} "
            rf"\cdot {_d('h', 'w_1')} = {_f(d_p)} \times {_f(w2)} \times {slope} \times {_f(x)} = "
            rf"\mathbf{{{answer}}}\)"
        )
    else:
        local += [
            rf"\({_d('p', 'w_2')} = a = {a}\)"
            + ("" if slope else ": the ReLU is off (h is negative), so its output a is 0"),
        ]
        chain = (
            rf"\({_d('L', 'w_2')} = {_d('L', 'p')} \cdot {_d('p', 'w_2')} = "
            rf"{_f(d_p)} \times {_f(a)} = \mathbf{{{answer}}}\)"
        )
    steps.append("2. The local derivative of each step on the path from "
                 rf"\({wrt}\) to L: " + "; ".join(local) + ".")
    steps.append(f"3. Multiply them along the path: {chain}.")

    if state == "on" and asks == "w1":
        steps.append(
            r"The lesson: \(w_1\) reaches the loss only through h, a and p, so its gradient is "
            "the product of one local derivative per step. Backpropagation builds exactly this "
            rf"product from the loss backwards: {d_p} at p, times \(w_2\) gives {d_p * w2} at a, "
            rf"times the ReLU's slope gives {d_p * w2 * slope} at h, and times the input x gives "
            "the weight's gradient. In a bigger network the signals at a and h are worked out once "
            "and shared by every weight that feeds into them."
        )
    elif state == "on":
        steps.append(
            r"The lesson: \(w_2\) is one step from the loss, so its chain is short: the error "
            rf"signal at p times the input that \(w_2\) multiplies, a = {a}. A weight in an "
            r"earlier layer, like \(w_1\), reuses the same signal at p and carries it further "
            "back, one local derivative per step."
        )
    else:
        why = (
            "the ReLU's slope in the chain is 0" if asks == "w1"
            else r"the ReLU passes 0 forward, and \(w_2\) can only scale what reaches it"
        )
        steps.append(
            f"The lesson: the loss is {loss}, not 0, yet the gradient is 0, because {why}. "
            r"With the ReLU off for this input, nothing about \(w_1\) or \(w_2\) can be learned "
            "from it: both gradients are 0. It is the same zero as the inactive unit in the forward-pass "
            "question (it passes nothing on), the mask (z > 0) in relu_backward, and the factor "
            r"\(\text{ReLU}'(z_1)\) in the hidden-layer delta. If h were negative for every "
            r"input, \(w_1\) would never get a gradient again: that is a dead ReLU."
        )
    return {
        "prompt": prompt,
        "answer": answer,
        "answer_text": str(answer),
        "solution": "\n".join(steps),
        "params": {"w1": w1, "w2": w2, "x": x, "y": y, "asks": asks},
        "tolerance": dict(_TOLERANCE),
    }
