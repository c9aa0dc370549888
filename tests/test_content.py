"""The built-in deck's learner-visible content: the facts it states, and how every text reads.

The first tests pin facts the deck once got wrong.  The rest render every text a learner can
see (each item's fields and checklist, and 50 variants of each generator) and look for raw
LaTeX, fractions that read two ways on one line, and lines wider than the terminal.
"""

import re

import pytest

from drill import loader, variants
from drill.mathtext import to_terminal

DECK = loader.load_builtin()
ITEMS = {item.id: item for item in DECK.items}
SEEDS = range(1, 51)
WIDTHS = (80, 100)


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


# --- every text a learner reads ------------------------------------------------------

def _texts(item):
    for name in ("prompt", "answer", "explanation", "insight"):
        yield name, getattr(item, name)
    for k, point in enumerate(item.checklist, start=1):
        yield f"checklist {k}", point
    if item.generator is not None:
        for seed in SEEDS:
            variant = variants.make(item, seed)
            for name in ("prompt", "solution", "answer_text"):
                yield f"seed {seed} {name}", getattr(variant, name)


_SCRIPT = r"(?:[_^](?:\{(?:[^{}]|\{[^{}]*\})*\}|\\[A-Za-z]+|[^\s{}\\])|'|\\prime)*"
_NOT_A_NAME = ("frac", "dfrac", "tfrac", "cfrac", "sqrt", "left", "right", "cdot", "times",
               "odot", "pm", "quad", "qquad", "sum", "prod", "cdots", "ldots", "dots")
_NAME = (r"(?:[A-Za-z]|\\(?!(?:" + "|".join(_NOT_A_NAME) + r")(?![A-Za-z]))[A-Za-z]+"
         r"|\\(?:hat|bar|tilde|vec|mathbf|mathrm|mathbb|boldsymbol|text|operatorname)"
         r"\{[^{}]*\})")
_ONE = re.compile(rf"(?:\d+(?:\.\d+)?|{_NAME}){_SCRIPT}")
_DIFFERENTIAL = re.compile(rf"(?:d|\\partial)(?:\^(?:\{{[^{{}}]*\}}|\S))?\s*(?:{_ONE.pattern})?")
_PAIRS = {"(": ")", "[": "]", r"\|": r"\|", "|": "|", r"\{": r"\}"}


def _arg(source: str, i: int) -> tuple[str, int]:
    """The TeX argument starting at source[i]: its text and where it ends."""
    while i < len(source) and source[i].isspace():
        i += 1
    if i >= len(source):
        return "", i
    if source[i] == "{":
        depth = 0
        for j in range(i, len(source)):
            escaped = j > 0 and source[j - 1] == "\\"
            if source[j] == "{" and not escaped:
                depth += 1
            elif source[j] == "}" and not escaped:
                depth -= 1
                if depth == 0:
                    return source[i + 1:j], j + 1
        return source[i + 1:], len(source)
    match = re.match(r"\\[A-Za-z]+|\\.|.", source[i:], re.DOTALL)
    return match.group(), i + len(match.group())


def _enclosed(side: str) -> bool:
    """One bracketed or fenced group, perhaps with scripts: (a + b), \\|w\\|^2."""
    side = re.sub(r"\\(?:left|right|[bB]igg?[lr]?)(?![A-Za-z])\s*", "", side)
    for opener, closer in _PAIRS.items():
        if not side.startswith(opener):
            continue
        if opener == closer:  # a fence closes at its next use
            end = side.find(closer, len(opener))
            return end > 0 and re.fullmatch(_SCRIPT, side[end + len(closer):].strip()) is not None
        depth, i = 0, 0
        while i < len(side):
            if side.startswith(opener, i):
                depth += 1
                i += len(opener)
            elif side.startswith(closer, i):
                depth -= 1
                i += len(closer)
                if depth == 0:
                    return re.fullmatch(_SCRIPT, side[i:].strip()) is not None
            else:
                i += 1
        return False
    return False


def _one_factor(side: str) -> bool:
    """Reads as one factor on a line: x^2, w_1, 10, 0.5, \\lambda, (a+b), \\sigma(z)."""
    side = side.strip()
    if not side or _ONE.fullmatch(side) or _enclosed(side):
        return True
    head = re.match(_NAME + _SCRIPT, side)
    return bool(head) and head.end() < len(side) and side[head.end()] in "(["\
        and _enclosed(side[head.end():])


def _fraction_problems(text: str) -> list[str]:
    """Fractions with a side of several factors that the terminal prints without brackets."""
    problems = []
    for match in re.finditer(r"\\[dtc]?frac(?![A-Za-z])", text):
        top, end = _arg(text, match.end())
        bottom, end = _arg(text, end)
        source = text[match.start():end]
        if _DIFFERENTIAL.fullmatch(top.strip()) and _DIFFERENTIAL.fullmatch(bottom.strip()):
            continue  # dL/dx, ∂L/∂w₁
        shown = to_terminal(rf"\({source}\)")
        parts = [to_terminal(rf"\({side}\)") for side in (top, bottom)]
        if "\n" in shown or any("\n" in part for part in parts):
            continue  # drawn as a grid, already delimited
        if not _one_factor(top) and not shown.startswith(f"({parts[0]})/"):
            problems.append(f"{source} prints as {shown!r}: its numerator needs brackets")
        if not _one_factor(bottom) and not shown.endswith(f"/({parts[1]})"):
            problems.append(f"{source} prints as {shown!r}: its denominator needs brackets")
    return problems


# "1/2a" or "1/2(x + 1)" in the printed text: the denominator runs on without a space.
_RUN_ON_FRACTION = re.compile(r"(?<![\w.])[\w.⁰¹²³⁴⁵⁶⁷⁸⁹]+/\d+(?:\.\d+)?[A-Za-z\u0370-\u03ff(]")


def _reading_problems(text: str) -> list[str]:
    shown = to_terminal(text)
    problems = []
    if "\\" in shown.replace("\\n", ""):  # code may print "\n" literally
        problems.append("a raw backslash is shown: " + repr(shown[shown.index("\\") - 20:][:60]))
    problems += _fraction_problems(text)
    problems += [f"{m.group()!r} reads two ways" for m in _RUN_ON_FRACTION.finditer(shown)]
    for width in WIDTHS:
        wrapped = to_terminal(text, width)
        wide = [line for line in wrapped.split("\n") if len(line) > width]
        problems += [f"wider than {width} columns: {line!r}" for line in wide]
        if wrapped.split() != shown.split():
            problems.append(f"wrapping to {width} columns changed the words")
    return problems


@pytest.mark.parametrize("item_id", list(ITEMS))
def test_every_text_reads_well_in_a_terminal(item_id):
    problems = [f"{item_id} {where}: {problem}"
                for where, text in _texts(ITEMS[item_id])
                for problem in _reading_problems(text)]
    assert not problems, "\n".join(problems[:40])


# --- the detector itself ----------------------------------------------------------------

@pytest.mark.parametrize(("side", "one"), [
    ("x^2", True), ("w_1", True), ("10", True), ("0.5", True), (r"\lambda", True),
    (r"e^{-z}", True), ("(a + b)", True), (r"\|w\|^2", True), (r"\sigma(z)", True),
    (r"\exp(-z)", True), (r"\hat{y}_i", True), ("2a", False), ("ab", False), ("a b", False),
    ("a+b", False), ("-1", False), (r"e^{-c} e^{z_i}", False), (r"(a)(b)", False),
    (r"2 (p_i - y_i)", False), (r"\frac{a}{b}", False),
])
def test_one_factor_detector(side, one):
    assert _one_factor(side) is one


def test_fraction_detector_flags_a_bare_product():
    assert _fraction_problems(r"\(\frac{\lambda}{2}\|w\|^2 + \frac{\partial L}{\partial w_1}\)") == []
    # What the terminal printed before: "1/2a" must be caught by the detector's own rule.
    assert not _one_factor("2a") and to_terminal(r"\(\frac{1}{2a}\)") == "1/(2a)"
    assert _RUN_ON_FRACTION.search("so the step is 1/2a here")
    assert not _RUN_ON_FRACTION.search("λ/2 ‖w‖² and 1/2 x and dL/dx and yes/no")
