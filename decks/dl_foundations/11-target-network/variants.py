"""Numeric practice for the target-network item: compute a DQN TD target by hand."""

import random
from decimal import Decimal
from fractions import Fraction

from drill.deckkit import check_seed, decimal_text, factor_text

_REWARDS = ("-1", "0", "1", "0.5", "-0.5", "2")
_GAMMAS = ("0.9", "0.99", "0.5", "0.95")
_TERMINAL_SHARE = 0.2
_TOLERANCE = {"rtol": 1e-9, "atol": 1e-9}


def generate(seed: int) -> dict:
    """Variant `seed` of the TD-target practice (seed 0 works too; the deck uses seeds >= 1)."""
    seed = check_seed(seed)
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


def _build(r, gamma, q_next, done):
    rd, gd = Decimal(r), Decimal(gamma)
    qd = [Decimal(q) for q in q_next]
    best = max(qd)
    values = ", ".join(decimal_text(q) for q in qd)
    n = len(qd)

    prompt_lines = [
        rf"A DQN agent in state s takes action a, receives the reward \(r = {decimal_text(rd)}\) "
        "and lands in the next state s'.",
        rf"The target network (parameters \(\theta^{{-}}\)) scores the {n} actions in s' as "
        rf"\(Q(s', a; \theta^{{-}}) = [{values}]\). The discount factor is "
        rf"\(\gamma = {decimal_text(gd)}\).",
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
            r"Normally \(y = r + \gamma \max_{a} Q(s', a; \theta^{-})\).",
            "But the episode ended here (done = True): there is no future after s', so there "
            "is nothing to bootstrap from and the Q-values for s' are ignored.",
            rf"The target is just the reward: \(y = r = \mathbf{{{decimal_text(rd)}}}\).",
            r"In code this is usually written "
            r"\(y = r + \gamma (1 - \text{done}) \max_{a} Q(s', a; \theta^{-})\), "
            "so the second term vanishes when done is 1.",
        ]
    else:
        discounted = gd * best
        target = rd + discounted
        answer = float(Fraction(r) + Fraction(gamma) * Fraction(str(best)))
        solution_lines = [
            r"The TD target is \(y = r + \gamma \max_{a} Q(s', a; \theta^{-})\).",
            rf"Best next-state value: \(\max({values}) = {decimal_text(best)}\).",
            rf"So \(y = {decimal_text(rd)} + {decimal_text(gd)} \times {factor_text(best)} = "
            rf"{decimal_text(rd)} + {factor_text(discounted)} = \mathbf{{{decimal_text(target)}}}\).",
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
        "answer_text": decimal_text(target),
        "solution": "\n".join(solution_lines),
        "params": {
            "r": float(r),
            "gamma": float(gamma),
            "q_next": [float(q) for q in q_next],
            "done": done,
        },
        "tolerance": dict(_TOLERANCE),
    }
