"""Numeric practice for the target-network item: compute a DQN TD target by hand."""

import operator
import random
from decimal import Decimal
from fractions import Fraction

_REWARDS = ("-1", "0", "1", "0.5", "-0.5", "2")
_GAMMAS = ("0.9", "0.99", "0.5", "0.95")
_TERMINAL_SHARE = 0.2
_TOLERANCE = {"rtol": 1e-9, "atol": 1e-9}


def generate(seed: int) -> dict:
    """Variant `seed` of the TD-target practice (seed 0 works too; the deck uses seeds >= 1)."""
    seed = _check_seed(seed)
    rng = random.Random(seed)
    r = rng.choice(_REWARDS)
    gamma = rng.choice(_GAMMAS)
    n_actions = rng.randint(2, 4)
    while True:
        # One decimal each, between -2 and 5; at least two different values.
        q_next = [str(Decimal(rng.randint(-20, 50)) / 10) for _ in range(n_actions)]
        if len(set(q_next)) > 1:
            break
    done = rng.random() < _TERMINAL_SHARE
    return _build(r, gamma, q_next, done)


def _check_seed(seed):
    if isinstance(seed, bool):
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    try:
        seed = operator.index(seed)
    except TypeError:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}") from None
    if seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed}")
    return seed


def _text(value):
    """An exact decimal as plain text: no exponent, no trailing zeros."""
    d = Decimal(value)
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def _factor_text(value):
    text = _text(value)
    return f"({text})" if text.startswith("-") else text


def _build(r, gamma, q_next, done):
    rd, gd = Decimal(r), Decimal(gamma)
    qd = [Decimal(q) for q in q_next]
    best = max(qd)
    values = ", ".join(_text(q) for q in qd)
    n = len(qd)

    prompt_lines = [
        rf"A DQN agent in state s takes action a, receives the reward \(r = {_text(rd)}\) "
        "and lands in the next state s'.",
        rf"The target network (parameters \(\theta^{{-}}\)) scores the {n} actions in s' as "
        rf"\(Q(s', a; \theta^{{-}}) = [{values}]\). The discount factor is "
        rf"\(\gamma = {_text(gd)}\).",
    ]
    if done:
        prompt_lines.append(
            "This transition ended the episode: s' is terminal (done = True)."
        )
    prompt_lines.append("What is the TD target y for this transition?")

    if done:
        target = rd
        answer = float(Fraction(r))
        solution_lines = [
            rf"Normally \(y = r + \gamma \max_{{a}} Q(s', a; \theta^{{-}})\).",
            "But the episode ended here (done = True): there is no future after s', so there "
            "is nothing to bootstrap from and the Q-values for s' are ignored.",
            rf"The target is just the reward: \(y = r = \mathbf{{{_text(rd)}}}\).",
            r"In code this is usually written "
            r"\(y = r + \gamma (1 - \text{done}) \max_{a} Q(s', a; \theta^{-})\), "
            "so the second term vanishes when done is 1.",
        ]
    else:
        discounted = gd * best
        target = rd + discounted
        answer = float(Fraction(r) + Fraction(gamma) * Fraction(str(best)))
        solution_lines = [
            rf"The TD target is \(y = r + \gamma \max_{{a}} Q(s', a; \theta^{{-}})\).",
            rf"Best next-state value: \(\max({values}) = {_text(best)}\).",
            rf"So \(y = {_text(rd)} + {_text(gd)} \times {_factor_text(best)} = "
            rf"{_text(rd)} + {_factor_text(discounted)} = \mathbf{{{_text(target)}}}\).",
        ]
    solution_lines.append(
        "Why a target network: these Q-values come from a frozen copy of the network, "
        "updated only every C steps. If the network being trained also produced y, the "
        "target would move with every update (chasing a moving goalpost) and training "
        "could oscillate; the frozen copy keeps y still for C steps, like a fixed label."
    )
    return {
        "prompt": "\n".join(prompt_lines),
        "answer": answer,
        "answer_text": _text(target),
        "solution": "\n".join(solution_lines),
        "params": {
            "r": float(r),
            "gamma": float(gamma),
            "q_next": [float(q) for q in q_next],
            "done": done,
        },
        "tolerance": dict(_TOLERANCE),
    }
