"""The deck's variant generators: contract, determinism, and answers checked independently.

Every `decks/dl_foundations/*/variants.py` is loaded straight from its file and run for
1,000 seeds. Each answer is recomputed here from the variant's params (with NumPy, plain
Python or exact fractions), without reusing any of the generator's own arithmetic.

The tests that measure how often each kind of variant comes up print their figures:
`python -m pytest tests/test_variants.py -s -k "edge or asks or covers or rarely or off or loses"`.
"""

from __future__ import annotations

import importlib.util
import json
import math
import random
import re
from collections import Counter
from functools import cache
from pathlib import Path

import numpy as np
import pytest

DECK = Path(__file__).resolve().parents[1] / "decks" / "dl_foundations"
N_SEEDS = 1000


@cache
def _load(folder: str):
    """The `generate` function of decks/dl_foundations/<folder>/variants.py."""
    path = DECK / folder / "variants.py"
    name = "_deck_variants_" + re.sub(r"\W", "_", folder)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate


@pytest.fixture
def load_generator():
    """Load a generator by its item folder name, e.g. load_generator("01-forward-pass")."""
    return _load


# --- independent recomputations (NumPy, from params only) ---------------------------------


def _forward_pass(p):
    x, W1, b1, W2, b2 = (np.array(p[k], dtype=float) for k in ("x", "W1", "b1", "W2", "b2"))
    out = W2 @ np.maximum(W1 @ x + b1, 0) + b2
    return out[0] if out.size == 1 else out  # one output is a plain number, not [n]


def _weight_decay(p):
    # From the definitions: the gradient of L + lam/2 w^2 and one SGD step with it.
    alpha, lam = p["alpha"], p["lam"]
    if p["asks"] == "factor":
        w, grad = 1.0, 0.0  # a unit weight with no data gradient: the step leaves the factor
        return w - alpha * (grad + lam * w)
    if p["asks"] == "gradient":
        return p["grad"] + lam * p["w"]
    assert p["asks"] == "step", p
    return p["w"] - alpha * (p["grad"] + lam * p["w"])


def _chain_rule(p):
    """dL/dw1 or dL/dw2 by an exact central difference (L is quadratic near the point)."""
    from fractions import Fraction

    def loss(w1, w2):
        h = w1 * p["x"]
        a = max(h, 0)
        return (w2 * a - p["y"]) ** 2

    eps = Fraction(1, 1000)  # h is a non-zero integer, so the ReLU cannot change side
    w1, w2 = Fraction(p["w1"]), Fraction(p["w2"])
    if p["asks"] == "w1":
        diff = (loss(w1 + eps, w2) - loss(w1 - eps, w2)) / (2 * eps)
    else:
        assert p["asks"] == "w2", p
        diff = (loss(w1, w2 + eps) - loss(w1, w2 - eps)) / (2 * eps)
    return float(diff)


def _target(p):
    if p["done"]:
        return p["r"]
    return p["r"] + p["gamma"] * np.max(p["q_next"])


def _learning_rate(p):
    # f(w) = a w^2 / 2, so f'(w) = a w; run the steps themselves.
    a = p["a"]
    if p["asks"] == "limit":
        return 2 / a  # the rate where a step maps w to -w; see test_learning_rate_limit_*
    w = 1.0 if p["asks"] == "multiplier" else float(p["w0"])
    for _ in range(3 if p["asks"] == "three" else 1):
        w = w - p["lr"] * (a * w)
    return w


def _one_hot(p):
    return np.eye(p["n_classes"])[np.array(p["y"])]


def _softmax(p):
    z = np.array(p["logits"], dtype=float)
    e = np.exp(z - z.max())
    probs = e / e.sum()
    return probs if p["ask"] == "all" else probs[p["index"]]


def _sigmoid(p):
    z = p["z"] if p["question"] == "value" else -p["z"]
    return 1 / (1 + np.exp(-z))


# --- spot checks: the numbers that define a variant are in its prompt ---------------------


def _g(v):
    return f"{v:g}"


def _spot_forward_pass(p, prompt):
    assert "x = [" + ", ".join(str(v) for v in p["x"]) + "]" in prompt
    for row in p["W1"] + p["W2"]:
        assert " & ".join(str(v) for v in row) in prompt
    assert "b_1 = [" + ", ".join(str(v) for v in p["b1"]) + "]" in prompt


def _spot_weight_decay(p, prompt):
    assert rf"\alpha = {_g(p['alpha'])}" in prompt
    assert rf"\lambda = {_g(p['lam'])}" in prompt
    if p["asks"] in ("gradient", "step"):
        assert f"w = {_g(p['w'])}" in prompt
        assert rf"\nabla L = {_g(p['grad'])}" in prompt
    else:
        assert "w =" not in prompt


def _spot_chain_rule(p, prompt):
    for key in ("w1", "w2"):
        assert f"w_{key[1]} = {p[key]}" in prompt
    assert f"x = {p['x']}" in prompt and f"y = {p['y']}" in prompt
    assert rf"\frac{{\partial L}}{{\partial w_{p['asks'][1]}}}" in prompt


def _spot_target(p, prompt):
    assert f"r = {_g(p['r'])}" in prompt
    assert rf"\gamma = {_g(p['gamma'])}" in prompt
    assert "[" + ", ".join(_g(q) for q in p["q_next"]) + "]" in prompt
    assert ("done = True" in prompt) == p["done"]


def _spot_learning_rate(p, prompt):
    assert r"f(w) = a w^{2} / 2" in prompt, "the prompt must say which form of f it uses"
    assert f"a = {_g(p['a'])}" in prompt
    if p["asks"] != "limit":
        assert rf"\eta = {_g(p['lr'])}" in prompt
    if p["asks"] in ("one", "three"):
        assert f"w_0 = {p['w0']}" in prompt


def _spot_one_hot(p, prompt):
    assert f"y = {p['y']}" in prompt
    assert f"n_classes = {p['n_classes']}" in prompt


def _spot_softmax(p, prompt):
    if p["form"] == "ln":
        for w in p["weights"]:
            if w > 1:
                assert rf"\ln {w}" in prompt
        if p["shift"]:
            assert str(p["shift"]) in prompt
    else:
        for z in p["logits"]:
            assert str(int(z)) in prompt


def _spot_sigmoid(p, prompt):
    if p["question"] == "mirror":
        assert _g(1 / (1 + math.exp(-p["z"]))) in prompt
    elif p["sign"] == 0:
        assert "z = 0" in prompt
    else:
        assert f"{abs(p['z']):.4f}" in prompt
        assert rf"\ln {p['k']}" in prompt


# folder, first seed (numeric items start at 0, the self-check's own version), recompute, spot
GENERATORS = [
    ("01-forward-pass", 0, _forward_pass, _spot_forward_pass),
    ("12-weight-decay", 0, _weight_decay, _spot_weight_decay),
    ("11-target-network", 1, _target, _spot_target),
    ("07-chain-rule", 1, _chain_rule, _spot_chain_rule),
    ("08-learning-rate", 1, _learning_rate, _spot_learning_rate),
    ("09-one-hot", 1, _one_hot, _spot_one_hot),
    ("03-softmax", 1, _softmax, _spot_softmax),
    ("04-sigmoid-range", 1, _sigmoid, _spot_sigmoid),
]
FOLDERS = [row[0] for row in GENERATORS]
FIRST_SEED = {row[0]: row[1] for row in GENERATORS}


@cache
def _variants(folder: str) -> dict:
    """seed -> variant for N_SEEDS seeds, generated once per test session."""
    generate = _load(folder)
    first = FIRST_SEED[folder]
    return {seed: generate(seed) for seed in range(first, first + N_SEEDS)}


# --- the self-check's own versions --------------------------------------------------------


def test_forward_pass_seed_0_is_the_self_check(load_generator):
    variant = load_generator("01-forward-pass")(0)
    assert variant["answer"] == 2
    assert not isinstance(variant["answer"], list)
    assert variant["params"] == {
        "x": [1, -1],
        "W1": [[2, 0], [0, 2]],
        "b1": [0, 0],
        "W2": [[1, 1]],
        "b2": [0],
    }
    assert "unit 2 is inactive for this input: its pre-activation is -2" in variant["solution"]


def test_weight_decay_seed_0_is_the_self_check(load_generator):
    variant = load_generator("12-weight-decay")(0)
    assert variant["params"] == {"alpha": 0.01, "lam": 0.01, "asks": "factor"}
    assert variant["answer"] == 0.9999  # exactly: 1 - 0.01 * 0.01 as a correctly rounded float
    # The seed's own question: how the gradient changes, and so what multiplies w each step.
    assert "How does adding the penalty change the gradient?" in variant["prompt"]
    assert "what number multiplies w" in variant["prompt"]
    assert r"\nabla L_{\text{reg}} = \nabla L + \lambda w" in variant["solution"]


# --- the contract, for every generator ----------------------------------------------------

_MATH = re.compile(r"\\\((.*?)\\\)", re.S)
_ALLOWED_COMMANDS = {
    "alpha", "gamma", "lambda", "sigma", "theta", "nabla", "cdot", "times", "max", "frac",
    "text", "mathbf", "leftarrow", "approx", "exp", "ln", "begin", "end", "partial", "eta",
}
_PLAIN = (str, int, float, bool, list, dict)


def _is_number(v):
    return type(v) in (int, float) and math.isfinite(v)


def _check_answer_shape(answer):
    if isinstance(answer, list):
        assert answer, "an empty answer"
        if all(isinstance(row, list) for row in answer):
            widths = {len(row) for row in answer}
            assert len(widths) == 1 and widths != {0}, "ragged matrix"
            assert all(_is_number(v) for row in answer for v in row)
        else:
            assert all(_is_number(v) for v in answer)
    else:
        assert _is_number(answer), f"not a plain number: {answer!r}"


def _check_plain(value, where="params"):
    assert type(value) in _PLAIN, f"{where} holds a {type(value).__name__}"
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str)
            _check_plain(item, f"{where}[{key!r}]")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_plain(item, f"{where}[{i}]")
    elif isinstance(value, float):
        assert math.isfinite(value)


def _check_math(text):
    assert text.count(r"\(") == text.count(r"\)"), "unbalanced \\( \\)"
    for match in _MATH.finditer(text):
        body = match.group(1)
        assert "\n" not in body, f"newline inside math: {body!r}"
        assert r"\(" not in body
        commands = set(re.findall(r"\\([A-Za-z]+)", body))
        assert commands <= _ALLOWED_COMMANDS, f"unexpected LaTeX: {commands - _ALLOWED_COMMANDS}"
    assert "\\" not in _MATH.sub("", text), "a backslash outside \\( ... \\)"


@pytest.mark.parametrize(("folder", "first", "recompute", "spot_check"), GENERATORS, ids=FOLDERS)
def test_every_variant_is_valid_and_its_answer_checks_out(folder, first, recompute, spot_check):
    for seed, variant in _variants(folder).items():
        where = f"{folder} seed {seed}"
        assert isinstance(variant, dict), where
        assert {"prompt", "answer", "solution", "params"} <= set(variant), where
        assert set(variant) <= {"prompt", "answer", "solution", "params", "answer_text",
                                "tolerance"}, where
        for key in ("prompt", "solution", "answer_text"):
            if key in variant:
                assert isinstance(variant[key], str) and variant[key].strip(), where
                _check_math(variant[key])
        if "tolerance" in variant:
            tol = variant["tolerance"]
            assert set(tol) == {"rtol", "atol"}, where
            assert all(_is_number(v) and v >= 0 for v in tol.values()), where

        _check_answer_shape(variant["answer"])
        params = variant["params"]
        assert isinstance(params, dict) and params, where
        _check_plain(params)
        assert json.loads(json.dumps(params)) == params, where

        expected = recompute(params)
        assert np.shape(variant["answer"]) == np.shape(expected), where
        assert np.allclose(variant["answer"], expected, rtol=1e-9, atol=1e-12), (
            f"{where}: answer {variant['answer']!r}, recomputed {expected!r}"
        )
        spot_check(params, variant["prompt"])


@pytest.mark.parametrize("folder", FOLDERS)
def test_generators_are_pure_functions_of_the_seed(folder):
    generate = _load(folder)
    cached = _variants(folder)
    random.seed(12345)
    np.random.seed(54321)
    random.random()
    np.random.rand()
    py_state, np_state = random.getstate(), np.random.get_state()
    for seed, variant in cached.items():
        assert generate(seed) == variant, f"{folder} seed {seed} changed between calls"
    assert random.getstate() == py_state, "touched the global random state"
    after = np.random.get_state()
    assert after[0] == np_state[0] and np.array_equal(after[1], np_state[1])
    assert after[2:] == np_state[2:], "touched NumPy's global random state"


@pytest.mark.parametrize("folder", FOLDERS)
@pytest.mark.parametrize("seed", [-1, -1000, 1.5, 2.0, "3", None, True])
def test_bad_seeds_are_refused(folder, seed):
    with pytest.raises((ValueError, TypeError)):
        _load(folder)(seed)


# --- distinct variants --------------------------------------------------------------------


def _distinct(folder):
    return len({json.dumps(v["params"], sort_keys=True) for v in _variants(folder).values()})


def test_forward_pass_variants_are_distinct():
    count = _distinct("01-forward-pass")
    print(f"forward-pass: {count} distinct variants in {N_SEEDS} seeds")
    assert count >= 0.9 * N_SEEDS


def test_one_hot_variants_are_distinct():
    # Labels of length 2-4 over 2-4 classes allow only this many different questions, fewer
    # than 1,000, so 90% is measured against what is possible.
    possible = sum(n**length for n in (2, 3, 4) for length in (2, 3, 4))
    count = _distinct("09-one-hot")
    print(f"one-hot: {count} distinct variants in {N_SEEDS} seeds ({possible} possible)")
    assert count >= 0.9 * min(N_SEEDS, possible)
    # And no repeat before every possible question has come up once.
    first = [json.dumps(_variants("09-one-hot")[s]["params"]) for s in range(1, possible + 1)]
    assert len(set(first)) == possible


# --- forward pass: the dead-neuron lesson and hand-sized numbers --------------------------


def _hidden(params):
    x, W1, b1 = params["x"], params["W1"], params["b1"]
    return [sum(w * v for w, v in zip(row, x)) + b for row, b in zip(W1, b1)]


def test_forward_pass_usually_loses_a_unit_and_never_loses_them_all():
    variants = _variants("01-forward-pass")
    lost = 0
    for seed, variant in variants.items():
        p = variant["params"]
        z1 = _hidden(p)
        assert any(v > 0 for v in z1), f"seed {seed}: every hidden unit is off"
        for j, v in enumerate(z1):
            if v < 0:
                assert (f"unit {j + 1} is inactive for this input: its pre-activation is {v}"
                        in variant["solution"]), seed
            elif v == 0:
                assert f"unit {j + 1} sits exactly at 0" in variant["solution"], seed
        # The seed's lesson: a unit switched off *and* the output shows what it carried.
        lost += any(v < 0 for v in z1) and _output(p, relu=False) != _output(p)
    share = lost / len(variants)
    print(f"forward-pass: {share:.1%} of variants lose a unit's information to ReLU")
    assert share >= 0.8, f"only {share:.1%} show the seed's lesson"


def test_forward_pass_never_calls_a_unit_dead_for_one_input():
    """A dead ReLU is negative for *every* input; one negative pre-activation is not that."""
    for seed, variant in _variants("01-forward-pass").items():
        solution = variant["solution"]
        assert "is dead" not in solution and "dead:" not in solution, seed
        for sentence in re.split(r"(?<=[.:)])\s+", solution):
            if "dead" in sentence:
                assert "every input" in sentence, f"seed {seed}: {sentence!r}"
        if any(v <= 0 for v in _hidden(variant["params"])):
            assert "for every input" in solution, seed


def _output(p, relu=True):
    z1 = _hidden(p)
    a1 = [max(v, 0) for v in z1] if relu else z1
    return [sum(w * v for w, v in zip(row, a1)) + b for row, b in zip(p["W2"], p["b2"])]


def test_forward_pass_edge_cases_are_few_but_present():
    variants = _variants("01-forward-pass").values()
    only_b2 = sum(_output(v["params"]) == v["params"]["b2"] for v in variants) / N_SEEDS
    at_zero = sum(0 in _hidden(v["params"]) for v in variants) / N_SEEDS
    all_on = sum(all(z > 0 for z in _hidden(v["params"])) for v in variants) / N_SEEDS
    figures = (f"forward-pass: output = b2 in {only_b2:.1%}, a pre-activation of exactly 0 in "
               f"{at_zero:.1%}, every unit on in {all_on:.1%}")
    print(figures)
    assert 0 < only_b2 <= 0.03 and 0 < at_zero <= 0.03, figures
    assert all_on <= 0.1, figures


def test_forward_pass_numbers_are_small_integers():
    for seed, variant in _variants("01-forward-pass").items():
        p = variant["params"]
        n_in, n_hidden, n_out = len(p["x"]), len(p["W1"]), len(p["W2"])
        assert n_in in (2, 3) and n_hidden in (2, 3) and n_out in (1, 2), seed
        assert all(len(row) == n_in for row in p["W1"]) and len(p["b1"]) == n_hidden, seed
        assert all(len(row) == n_hidden for row in p["W2"]) and len(p["b2"]) == n_out, seed
        z1 = _hidden(p)
        a1 = [max(v, 0) for v in z1]
        z2 = [sum(w * v for w, v in zip(row, a1)) + b for row, b in zip(p["W2"], p["b2"])]
        numbers = [v for key in ("x", "b1", "b2") for v in p[key]]
        numbers += [v for key in ("W1", "W2") for row in p[key] for v in row]
        numbers += z1 + a1 + z2
        assert all(type(v) is int and abs(v) <= 30 for v in numbers), seed
        answer = variant["answer"]
        assert answer == (z2[0] if n_out == 1 else z2), seed
        assert isinstance(answer, list) == (n_out > 1), seed


# --- each practice generator covers the cases it promises ---------------------------------


def _count(folder, key):
    return Counter(key(v["params"]) for v in _variants(folder).values())


def test_weight_decay_asks_factor_gradient_and_step_in_turn():
    """design.md: `asks` is factor (1 - alpha*lam), gradient (grad + lam*w) or step."""
    variants = _variants("12-weight-decay")
    counts = _count("12-weight-decay", lambda p: p["asks"])
    shares = {k: counts[k] / N_SEEDS for k in ("factor", "gradient", "step")}
    print("weight-decay asks: " + ", ".join(f"{k} {v:.1%}" for k, v in shares.items()))
    assert set(counts) == {"factor", "gradient", "step"}, counts
    assert all(0.28 <= v <= 0.39 for v in shares.values()), shares
    for seed, variant in variants.items():
        p = variant["params"]
        expected = {"alpha", "lam", "asks"} | ({"w", "grad"} if p["asks"] != "factor" else set())
        assert set(p) == expected, (seed, p)
    assert variants[0]["params"]["asks"] == "factor" and variants[0]["answer"] == 0.9999


def test_weight_decay_prompts_leave_the_update_to_the_learner():
    for seed, variant in _variants("12-weight-decay").items():
        prompt = variant["prompt"]
        assert "multiplies each weight by a fixed factor" not in prompt, seed
        assert "before the gradient" not in prompt and r"1 - \alpha" not in prompt, seed
        # Every solution derives the regularised gradient, whatever it asks.
        assert r"\nabla L_{\text{reg}} = \nabla L + \lambda w" in variant["solution"], seed


def test_weight_decay_item_text_asks_the_seeds_question():
    import tomllib

    item = tomllib.loads((DECK / "12-weight-decay" / "item.toml").read_text("utf-8"))
    assert "change the gradient" in item["prompt"]
    assert "fixed factor" not in item["prompt"] and r"c \cdot w" not in item["prompt"]
    assert r"\nabla L + \lambda w" in item["answer"] and "0.9999" in item["answer"]
    assert r"\nabla L_{reg} = \nabla L + \lambda w" in item["explanation"]


_EXAMPLE = re.compile(
    r"a weight \\\(w = (-?[\d.]+)\\\) with data gradient \\\(\\nabla L = (-?[\d.]+)\\\)"
)


def test_weight_decay_worked_example_varies_with_the_variant():
    examples = Counter()
    for seed, variant in _variants("12-weight-decay").items():
        if variant["params"]["asks"] == "factor":
            match = _EXAMPLE.search(variant["solution"])
            assert match, f"seed {seed}: no worked example"
            examples[match.groups()] += 1
    print(f"weight-decay: {len(examples)} different worked examples in "
          f"{sum(examples.values())} factor variants")
    assert len(examples) >= 100, examples.most_common(3)
    assert examples.most_common(1)[0][1] <= 10, examples.most_common(3)


def test_weight_decay_factors_are_not_rows_of_nines():
    products = [v["params"]["alpha"] * v["params"]["lam"]
                for v in _variants("12-weight-decay").values()]
    print(f"weight-decay: alpha*lam from {min(products):g} to {max(products):g}")
    assert min(products) >= 2e-5 * (1 - 1e-9) and max(products) <= 0.01 * (1 + 1e-9)
    for variant in _variants("12-weight-decay").values():
        if variant["params"]["asks"] == "factor":
            assert len(variant["answer_text"].split(".")[1]) <= 6, variant["answer_text"]


def test_target_network_has_terminal_transitions():
    counts = _count("11-target-network", lambda p: p["done"])
    assert 0.1 * N_SEEDS <= counts[True] <= 0.3 * N_SEEDS, counts


def _step_behaviour(p):
    """What a rate does to f(w) = a w^2 / 2, from the multiplier 1 - lr * a."""
    if p["asks"] == "limit":
        return "limit"
    m = 1 - p["lr"] * p["a"]
    if math.isclose(m, 0, abs_tol=1e-12) or math.isclose(m, -1):
        return "edge"
    if m >= 0.95 - 1e-12:
        return "slow"
    return "converge" if m > 0 else "oscillate" if m > -1 else "diverge"


def test_learning_rate_asks_the_seeds_questions():
    counts = _count("08-learning-rate", lambda p: p["asks"])
    shares = {k: counts[k] / N_SEEDS for k in ("limit", "multiplier", "one", "three")}
    print("learning-rate asks: " + ", ".join(f"{k} {v:.1%}" for k, v in shares.items()))
    assert set(counts) == set(shares), counts
    assert all(v >= 0.15 for v in shares.values()), shares


def test_learning_rate_covers_stable_and_unstable_steps():
    counts = _count("08-learning-rate", _step_behaviour)
    stepped = N_SEEDS - counts["limit"]
    kinds = ("slow", "converge", "oscillate", "diverge", "edge")
    print("learning-rate behaviour: " + ", ".join(f"{k} {counts[k] / stepped:.1%}" for k in kinds)
          + " (of variants with a rate)")
    assert all(counts[k] >= 50 for k in ("slow", "converge", "oscillate", "diverge")), counts
    assert 0.03 <= counts["edge"] / stepped <= 0.12, counts


def test_learning_rate_limit_is_where_the_steps_stop_converging():
    for seed, variant in _variants("08-learning-rate").items():
        p = variant["params"]
        if p["asks"] != "limit":
            continue
        runs = {}
        for eta in (0.98 * variant["answer"], 1.02 * variant["answer"]):
            w = 1.0
            for _ in range(200):
                w -= eta * p["a"] * w
            runs[eta] = abs(w)
        below, above = runs.values()
        assert below < 0.1 and above > 10, (seed, runs)


def test_learning_rate_solutions_explain_the_multiplier():
    for seed, variant in _variants("08-learning-rate").items():
        p, solution = variant["params"], variant["solution"]
        assert r"m = 1 - \eta a" in solution, seed
        behaviour = _step_behaviour(p)
        words = {"slow": "slowly", "converge": "converge", "oscillate": "oscillate",
                 "diverge": "diverge", "limit": "diverges"}
        if behaviour == "edge":
            assert "exactly on the minimum" in solution or "edge of stability" in solution, seed
        else:
            assert words[behaviour] in solution, seed
        if p["asks"] == "multiplier":
            assert "converge, oscillate or diverge" in variant["prompt"], seed


def test_one_hot_covers_repeats_absent_and_top_classes():
    counts = _count("09-one-hot", lambda p: (
        len(set(p["y"])) < len(p["y"]),
        len(set(p["y"])) < p["n_classes"],
        p["n_classes"] - 1 in p["y"],
    ))
    for i in range(3):
        assert sum(n for key, n in counts.items() if key[i]) >= 100, (i, counts)
        assert sum(n for key, n in counts.items() if not key[i]) >= 50, (i, counts)


def test_softmax_covers_shifted_and_tabled_logits():
    counts = _count("03-softmax", lambda p: (p["form"], abs(p.get("shift", 0)) >= 1000))
    assert counts[("ln", True)] >= 100 and counts[("ln", False)] >= 100, counts
    assert counts[("exp", False)] >= 100, counts
    assert any(max(p["logits"]) > 700 for p in (v["params"] for v in _variants("03-softmax")
                                                .values()) if p["form"] == "exp")


def test_sigmoid_covers_both_sides_and_the_midpoint():
    counts = _count("04-sigmoid-range", lambda p: (p["question"], p["sign"]))
    for key in [("value", 1), ("value", -1), ("mirror", 1), ("mirror", -1)]:
        assert counts[key] >= 30, counts
    share = counts[("value", 0)] / N_SEEDS
    print(f"sigmoid: sigma(0) asked in {share:.1%} of variants")
    assert 0 < share <= 0.03, counts


def test_softmax_rarely_has_all_logits_equal():
    equal = sum(len(set(v["params"]["logits"])) == 1 for v in _variants("03-softmax").values())
    share = equal / N_SEEDS
    print(f"softmax: all logits equal in {share:.1%} of variants")
    assert 0 < share <= 0.03, share
    for variant in _variants("03-softmax").values():
        if len(set(variant["params"]["logits"])) == 1:
            assert "Equal logits" in variant["solution"]


# --- chain rule: a tiny graph backpropagated by hand ----------------------------------------


def test_chain_rule_seed_0_is_the_concept_question():
    from drill import loader, variants

    item = next(i for i in loader.load_builtin().items if i.id == "chain-rule")
    assert variants.make(item, 0).mode == "recall"
    assert variants.make(item, 0).prompt == item.prompt
    assert variants.make(item, 1).mode == "numeric"


def test_chain_rule_puts_the_relu_off_in_a_minority_of_variants():
    variants = _variants("07-chain-rule")
    off = 0
    for seed, variant in variants.items():
        p, solution = variant["params"], variant["solution"]
        h = p["w1"] * p["x"]
        assert h != 0 and all(type(p[k]) is int and abs(p[k]) <= 4 for k in ("w1", "w2", "x", "y"))
        assert p["asks"] in ("w1", "w2"), seed
        assert (p["w2"] * max(h, 0) - p["y"]) != 0, f"seed {seed}: a perfect prediction"
        if h < 0:
            off += 1
            assert variant["answer"] == 0, seed
            for other in ("forward-pass", "relu_backward", "hidden-layer delta", "dead ReLU"):
                assert other in solution, (seed, other)
        else:
            assert variant["answer"] != 0, seed
        # The worked chain: one local derivative per step on the path.
        wrt = p["asks"][1]
        assert r"\frac{\partial L}{\partial p} = 2(p - y)" in solution, seed
        if wrt == "1":
            assert r"\frac{\partial a}{\partial h} = \text{ReLU}'(h)" in solution, seed
            assert r"\frac{\partial h}{\partial w_1} = x" in solution, seed
        else:
            assert r"\frac{\partial p}{\partial w_2} = a" in solution, seed
    share = off / len(variants)
    asks = _count("07-chain-rule", lambda p: p["asks"])
    print(f"chain-rule: ReLU off (answer 0) in {share:.1%} of variants; asks {dict(asks)}")
    assert 0.15 <= share <= 0.25, share
    assert asks["w1"] >= 0.5 * N_SEEDS and asks["w2"] >= 0.25 * N_SEEDS, asks


# --- what the terminal shows ---------------------------------------------------------------


@pytest.mark.parametrize("folder", FOLDERS)
def test_terminal_text_has_no_raw_latex(folder):
    from drill.mathtext import to_terminal

    for seed in list(_variants(folder))[:200]:
        variant = _variants(folder)[seed]
        for key in ("prompt", "solution"):
            shown = to_terminal(variant[key])
            assert "\\" not in shown, f"{folder} seed {seed} {key}: {shown!r}"
