"""The built-in deck's learner-visible content: the facts it states.

These tests pin facts the deck once got wrong.
"""

import re

from drill import loader

DECK = loader.load_builtin()
ITEMS = {item.id: item for item in DECK.items}


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if s]


def _fields(item_id: str, *names: str) -> str:
    item = ITEMS[item_id]
    parts = [getattr(item, name) for name in names if name != "checklist"]
    if "checklist" in names:
        parts += list(item.checklist)
    return "\n".join(parts)


# --- facts ------------------------------------------------------------------------

def test_hidden_delta_keeps_the_two_uses_of_w1_apart():
    # dW1 = delta1.T @ x does not use W1's values; W1 carries the error on to the input.
    text = _fields("hidden-delta", "answer", "explanation", "insight")
    assert "delta1 @ W1" in text
    for sentence in _sentences(text):
        if "delta1.T @ x" in sentence:
            assert not re.search(r"W1 (does )?comes? into play", sentence), sentence
            assert re.search(r"\bnot\b|\bonly\b", sentence), sentence


def test_hidden_delta_reference_comment_says_the_same():
    reference = ITEMS["hidden-delta"].reference
    comments = " ".join(line.strip(" #") for line in reference.splitlines()
                        if line.strip().startswith("#"))
    assert "delta1 @ W1" in comments
    assert not re.search(r"uses it one step later \(dW1", comments)


def test_chain_rule_states_the_shared_products_and_the_cost_correctly():
    text = " ".join(_fields("chain-rule", "answer", "explanation", "insight", "checklist").split())
    # Layer k's product contains layer k+1's (plus one factor), not the other way round.
    assert not re.search(r"shares all of its leading factors with the product for layer k", text)
    assert re.search(r"product for layer (\\\()?k(\\\))? contains", text)
    # A backward pass costs a small constant multiple (about 2x) of a forward pass.
    for wrong in (r"about as (much|cheap) as (a|one) forward", r"about one extra pass"):
        assert not re.search(wrong, text), wrong
    for field in ("explanation", "insight", "checklist"):
        assert re.search(r"constant multiple", _fields("chain-rule", field)), field
        assert re.search(r"about (2x|twice)", _fields("chain-rule", field)), field


def test_sigmoid_reads_as_a_probability_because_of_its_range():
    text = _fields("sigmoid-range", "answer", "explanation", "insight", "checklist")
    said = [s for s in _sentences(text) if "probabilit" in s and "softmax" not in s]
    assert said, "the item should say why a sigmoid output can be read as a probability"
    for sentence in said:
        assert not re.search(r"monoton|[Ll]arger z|derivative", sentence), sentence
        assert re.search(r"range|\(0, 1\)|between 0 and 1", sentence), sentence


def test_one_hot_gives_the_batch_mean_gradient():
    text = _fields("one-hot", "answer", "explanation", "insight")
    assert "(p - Y)/n" in text
    for sentence in _sentences(text):
        for match in re.finditer(r"p - Y", sentence):
            batch_form = sentence[max(0, match.start() - 1):match.end() + 3] == "(p - Y)/n"
            assert batch_form or re.search(r"single example|one example", sentence), sentence


def test_deck_description_gives_all_three_bands():
    text = DECK.description
    assert re.search(r"\b9 (to|-|–) ?12\b", text) and "ready" in text
    assert re.search(r"\b7 (or|-|–) ?8\b", text) and "review" in text
    assert re.search(r"[Bb]elow 7\b[^.;]*complete the deep-learning foundations", text)
