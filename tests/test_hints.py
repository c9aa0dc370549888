"""Feedback that blames only what the learner wrote: known-mistake hints and failure messages.

Real submission files (tests/submissions/_hints/<item>/) run through the real checker.
"""

import re
from pathlib import Path

import numpy as np
import pytest

from drill import itemcode, loader
from drill.checker import check_file
from drill.judge import Call, Case, learner_order, parameter_order

HERE = Path(__file__).parent / "submissions" / "_hints"
DECK = loader.load_builtin()
CODE_ITEMS = {item.id: item for item in DECK.items if item.kind == "code"}


def hint_text(item_id, stem):
    if stem is None:
        return None
    return itemcode.load_deck_module(CODE_ITEMS[item_id], f"wrong/{stem}.py").HINT


# (item, file, the wrong version whose hint fits or None, what the first failure's message
# must say, what it must not say)
CASES = [
    # The learner's parameter order, recognised and explained; it explains the values too, so
    # no hint blames the body.
    ("hidden-delta", "bad_swapped_uses_w2.py", None,
     (r"^your hidden_delta takes \(delta2, W2, W1, z1\), but drill calls "
      r"hidden_delta\(delta2, W1, W2, z1\) as the design says.*swap `W2` and `W1`"), r"delta2 @ W1"),
    ("mse", "bad_swapped_names.py", None,
     (r"^your mse_grad takes \(y_true, y_pred\), but drill calls mse_grad\(y_pred, y_true\)"
      r".*`y_true` receives y_pred.*swap"), r"\bsign\b"),
    ("mse", "bad_swapped_synonyms.py", None,
     r"^your mse_grad takes \(target, prediction\).*`target` receives y_pred", None),
    ("dropout", "bad_params_training_first.py", None,
     r"^your dropout takes \(x, training, p\).*`training` receives p.*order \(x, p, training\)", None),
    # ... and when the body has a further mistake, that mistake's hint, read in the learner's order
    ("hidden-delta", "bad_swapped_ge_zero.py", "mask_ge_zero", r"^your hidden_delta takes", None),
    ("relu", "bad_backward_swapped_sign.py", "sign_not_mask", r"^your relu_backward takes \(z, dout\)", None),
    # dtypes: the hint for integers is not given to booleans or float32, and the message names them
    ("one-hot", "bad_bool_compare.py", "bool_from_comparison", r"returned a bool array, expected float64", None),
    ("one-hot", "bad_bool_eye.py", "bool_from_comparison", r"\bbool\b", None),
    ("one-hot", "bad_float32_zeros.py", None, r"returned a float32 array, expected float64", None),
    ("relu", "bad_backward_bool_mask.py", None, r"relu_backward\(\) returned a bool array", None),
    ("relu", "bad_relu_int32.py", None, r"relu\(\) returned an int32 array, expected float64", None),
    # what the values show
    ("mse", "bad_grad_doubled.py", None, r"every value is 2 times the expected one", None),
    ("mse", "bad_grad_sign_only.py", "sign_flipped", r"every value has the sign opposite", None),
    ("one-hot", "bad_transposed_eye.py", "transposed", r"returned shape \(4, 3\), expected \(3, 4\): it is the transpose", None),
    ("hidden-delta", "bad_returns_transpose.py", None, r"it is the transpose of the answer", None),
    ("relu", "bad_relu_returns_z.py", None, r"relu\(\) returned `z` unchanged", None),
    ("softmax", "bad_divides_by_max.py", None, r"gave .* expected .*: every value is [\d.]+ times", None),
    # a mistake in one function is known whatever the other function does
    ("mse", "bad_rmse_and_no_factor_two.py", "root_of_mean", r"mse\(\) gave", None),
    # a shape error worded another way is still the same mistake
    ("hidden-delta", "bad_uses_w1_dot.py", "uses_w1", r"raised ValueError", None),
    # in place: the function and the argument of the failing case, never another item's advice
    ("hidden-delta", "bad_mask_in_place.py", None, r"^hidden_delta\(\) changed `z1` in place", r"relu|dropout|\bx\b"),
    ("softmax", "bad_shift_in_place.py", "in_place", r"^softmax\(\) changed `z` in place", None),
    # dropout: an evaluation case is explained in evaluation words, a training case in training words
    ("dropout", "bad_eval_scaled_binomial.py", "eval_scaled_too",
     r"^dropout\(\) must return `x` unchanged here, .*every value is 0.5 times `x`", r"kept|mask|train"),
    ("dropout", "bad_ignores_training_binomial.py", None, r"^dropout\(\) must return `x` unchanged here",
     r"kept|scal"),
    ("dropout", "bad_no_scaling_binomial.py", "no_scaling", r"kept units were not scaled", r"unchanged"),
]


@pytest.mark.parametrize(("item_id", "name", "stem", "says", "never"), CASES, ids=[f"{c[0]}/{c[1]}" for c in CASES])
@pytest.mark.parametrize("seed", [3, 11])
def test_the_hint_fits_and_the_message_names_the_real_problem(item_id, name, stem, says, never, seed):
    report = check_file(CODE_ITEMS[item_id], HERE / item_id / name, seed)
    assert not report.passed
    message = report.first_failure.message
    assert report.hint == hint_text(item_id, stem), (report.hint, message)
    assert re.search(says, message), message
    assert "\n" not in message
    if never:
        assert not re.search(never, message), message


# Eval and training: a hint is given only for the mode that failed the way its version does.
EVAL_WORDS = re.compile(r"evaluation|training is False|return x exactly|return x unchanged")


@pytest.mark.parametrize(("name", "mode"), [
    ("bad_eval_scaled_binomial.py", "eval"),
    ("bad_no_scaling_binomial.py", "train"),
])
def test_a_dropout_hint_speaks_of_the_mode_that_failed(name, mode):
    report = check_file(CODE_ITEMS["dropout"], HERE / "dropout" / name, 5)
    failed = [c.name for c in report.cases if not c.passed]
    assert failed and all(("evaluation" in n) == (mode == "eval") for n in failed)
    assert bool(EVAL_WORDS.search(report.hint)) == (mode == "eval"), report.hint


def test_every_hint_is_one_kind_line():
    for item in CODE_ITEMS.values():
        for path in sorted((item.folder / "wrong").glob("*.py")):
            text = itemcode.load_deck_module(item, f"wrong/{path.name}").HINT
            assert isinstance(text, str) and text.strip() == text, path
            assert "\n" not in text and len(text) <= 220, path
            assert text.endswith("."), path
            assert not re.search(r"\b(stupid|obviously|simply|just)\b", text, re.IGNORECASE), path


# -- the parameter order, on its own --------------------------------------------------------


def _case(params, n_args, kwargs=None):
    return Case(index=0, name="c", call="f", args=[np.zeros(2)] * n_args, kwargs=kwargs or {},
                rng_seeds=[], params=tuple(params))


ORDERS = [
    # (reference's names, learner's names, how the learner reorders them or None)
    (("y_pred", "y_true"), ("y_pred", "y_true"), None),
    (("y_pred", "y_true"), ("y_true", "y_pred"), [1, 0]),
    (("y_pred", "y_true"), ("target", "pred"), [1, 0]),
    (("y_pred", "y_true"), ("y", "y_hat"), [1, 0]),
    (("y_pred", "y_true"), ("pred", "target"), None),
    (("y_pred", "y_true"), ("a", "b"), None),
    (("y_pred", "y_true"), ("Y_TRUE", "Y_PRED"), [1, 0]),
    (("delta2", "W1", "W2", "z1"), ("delta2", "W2", "W1", "z1"), [0, 2, 1, 3]),
    (("delta2", "W1", "W2", "z1"), ("delta", "w1", "w2", "z1"), None),
    (("delta2", "W1", "W2", "z1"), ("W1", "W2", "delta2", "z1"), [2, 0, 1, 3]),
    (("delta2", "W1", "W2", "z1"), ("delta2", "W1", "W1", "z1"), None),
    (("dout", "z"), ("z", "dout"), [1, 0]),
    (("dout", "z"), ("x", "grad"), [1, 0]),
    (("y", "n_classes"), ("n_classes", "y"), [1, 0]),
    (("y", "n_classes"), ("labels", "num_classes"), None),
]


@pytest.mark.parametrize(("ours", "theirs", "order"), ORDERS)
def test_the_learners_parameter_order_is_read_from_the_names(ours, theirs, order):
    case = _case(ours, len(ours))
    assert learner_order(case, theirs) == order
    message = parameter_order(case, Call(params=theirs))
    assert bool(message) == (order is not None)
    if message:
        assert f"takes ({', '.join(theirs)})" in message and f"f({', '.join(ours)})" in message


def test_an_order_that_also_moves_a_keyword_is_named_but_not_replayed():
    case = _case(("x", "p", "training"), 2, {"training": False})
    assert learner_order(case, ("x", "training", "p")) is None
    assert "order (x, p, training)" in parameter_order(case, Call(params=("x", "training", "p")))
