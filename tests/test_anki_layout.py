"""The rules that lay cards out for a phone, checked on the HTML itself (no browser needed).

tests/test_anki_phone.py renders the cards in Chromium with Anki's own CSS and MathJax; these
checks hold the layout rules that make that pass: a formula too wide for a phone becomes
display math with one step per row, breaks never split a group, a matrix or a fraction, and
code lines keep their indentation in a box of their own.
"""

from __future__ import annotations

import html
import re

import pytest

from drill import variants as variant_maker
from drill.exporters.anki import AnkiExporter, variant_seeds
from drill.exporters.anki_fields import code_html, text_html
from drill.exporters.anki_math import DISPLAY_EM, INLINE_EM, fit_math, width
from drill.loader import load_builtin

FORWARD = (r"z_1 = W_1 x + b_1 = [2\cdot1 + 0\cdot(-1) + 0, 0\cdot1 + 2\cdot(-1) + 0, "
           r"(-1)\cdot 1 + 1\cdot 1 + 2\cdot 0 + 2] = [2, -2, 2]")
DECAY = r"w \leftarrow 0.5 \times 0.9975 - 0.05 \times (-1.2) = 0.49875 + 0.06 = 0.55875"


def rows(laid_out: str) -> list[str]:
    body = re.fullmatch(r"\\\[\\begin\{aligned\}(.*)\\end\{aligned\}\\\]", laid_out, re.S)
    assert body, laid_out
    return [row.strip() for row in re.split(r"(?<!\\)\\\\(?![a-zA-Z])", body.group(1))]


def balanced(tex: str) -> bool:
    depth = 0
    for char in re.sub(r"\\[{}]", "", tex):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("tex", [r"x = 3", r"W_1 = \begin{bmatrix} 2 & 0 \\ 0 & 2 \end{bmatrix}",
                                 r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"y = 2 + 0.99 \times 4.9"])
def test_a_formula_that_fits_stays_inline_and_unchanged(tex):
    assert fit_math(tex, display=False) == rf"\({tex}\)"


def test_a_long_chain_becomes_one_step_per_row_aligned_on_its_relations():
    laid = rows(fit_math(DECAY, display=False))
    assert laid[0].startswith(r"w &\leftarrow 0.5 \times 0.9975")
    starts = [row.split("&")[1][:2] for row in laid[1:]]
    # each further step starts a row with its relation; a step too long goes on, indented
    assert [start for start in starts if start != r"\q"] == ["= ", "= "]
    assert laid[-1] == "&= 0.55875"


def test_a_step_still_too_wide_breaks_after_a_comma_of_its_vector():
    laid = rows(fit_math(FORWARD, display=False))
    assert laid[0] == r"z_1 &= W_1x + b_1"
    assert laid[1].endswith(",") and laid[2].endswith(",")  # one sum of the vector per row
    assert laid[2].startswith(r"&\quad") and laid[3].startswith(r"&\quad")
    assert laid[-1] == r"&= [2, -2, 2]"


def test_every_row_fits_and_nothing_unbreakable_is_split():
    wide_matrix = r"A = \begin{bmatrix} 100 & 200 & 300 & 400 & 500 & 600 \end{bmatrix} = B + C"
    for tex in (FORWARD, DECAY, wide_matrix, r"\left( a + b + c + d + e + f + g + h + i + j "
                r"+ k + l + m \right) = \frac{1 + 2 + 3 + 4}{5 + 6 + 7 + 8 + 9 + 10 + 11}"):
        out = fit_math(tex, display=True)
        for row in rows(out):
            assert balanced(row), row
            assert row.count(r"\begin{") == row.count(r"\end{"), row
            assert (len(re.findall(r"\\left(?![a-z])", row))
                    == len(re.findall(r"\\right(?![a-z])", row))), row
        kept = out.replace(" ", "")
        assert r"\begin{bmatrix}100&200&300&400&500&600\end{bmatrix}" in kept or "bmatrix" not in tex


def test_the_built_in_deck_follows_the_rules_in_every_field_of_a_full_export(tmp_path):
    summary = AnkiExporter().export([load_builtin()], tmp_path / "all.apkg", variants=20)
    inline = display = 0
    for record in summary["records"]:
        for name, value in record.fields.items():
            source = html.unescape(value)
            for math in re.findall(r"\\\((.*?)\\\)", source, flags=re.S):
                inline += 1
                assert width(math) <= INLINE_EM, (record.item_id, name, math)
            for block in re.findall(r"\\\[.*?\\\]", source, flags=re.S):
                display += 1
                if r"\begin{aligned}" in block:
                    for row in rows(block):
                        assert width(row.replace("&", "")) <= DISPLAY_EM + 1, (record.item_id, row)
                else:
                    assert width(block[2:-2]) <= DISPLAY_EM, (record.item_id, block)
    assert inline > 500 and display > 100  # the rules really met many formulas


def test_code_lines_keep_their_indentation_in_a_box_of_their_own():
    code = "def f(x):\n    '''Doc\n    string.'''\n\n    if x > 0:\n        return x  # a comment\n"
    out = code_html(code)
    lines = re.findall(r'<span class="ln"><span class="ind">( *)</span><span class="tx">(.*?)'
                       r'</span></span>(?=<span class="ln">|</code>)', out)
    assert [len(indent) for indent, _ in lines] == [0, 4, 4, 0, 4, 8]
    text = [html.unescape(re.sub(r"<[^>]+>", "", body)) for _, body in lines]
    assert text == ["def f(x):", "'''Doc", "string.'''", " ", "if x > 0:", "return x  # a comment"]
    assert "\n" not in out  # the lines are blocks: a newline would add an empty line


def test_text_keeps_short_math_inline_and_lays_long_math_out_as_display():
    out = text_html(rf"Layer 1: \({FORWARD}\)" + "\nSo \\(a < b\\).")
    assert out.startswith(r"<p>Layer 1: \[\begin{aligned}")
    assert r"\(a &lt; b\)" in out
    assert "<br>" not in out.split(r"\[")[1].split(r"\]")[0]


def test_a_sentence_s_full_stop_after_a_laid_out_formula_stays_with_it():
    out = text_html(rf"So \({DECAY}\). The lesson follows, \(x = 1\).")
    assert r"0.55875.\end{aligned}\]" in out
    assert r"\] The lesson follows, \(x = 1\).</p>" in out
    assert not re.search(r"\\\]\s*[.,;:]", out)  # no mark alone on the line after a display


def _without_layout(laid: str) -> str:
    """The TeX of a laid-out formula with the rows, alignment and indents it added taken out."""
    body = re.fullmatch(r"\\\[\\begin\{aligned\}(.*)\\end\{aligned\}\\\]", laid, re.S)
    if body is None:
        return re.sub(r"\s", "", laid[2:-2])
    tokens = re.findall(r"\\begin\{\w+\*?\}|\\end\{\w+\*?\}|\\[A-Za-z]+|\\.|.", body.group(1), re.S)
    kept, depth = [], 0
    for token in tokens:
        depth += token.startswith(r"\begin") - token.startswith(r"\end")
        if depth == 0 and token in ("&", "\\\\", r"\quad"):
            continue
        kept.append(token)
    return re.sub(r"\s", "", "".join(kept))


TRICKY = [
    r"\frac{a}{b} + \hat{y} + \mathbb{R} + \text{a} + \sqrt{x} + x^\text{T} = \frac{1}{1+e} "
    r"+ \frac{e}{1+e} + 1234567 + 89 + \left( a + b \right) = 2",
    r"[\frac{1}{1+e}, \frac{e}{1+e}] \approx [0.2689, 0.7311] = [0.2689, 0.7311] + [1, 2, 3, 4, 5]",
    r"A = \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix} = \begin{bmatrix} 1 & 2 \\ 3 & 4 "
    r"\end{bmatrix} + \text{the same matrix} + \text{once more} = B",
]


def test_laying_out_never_changes_the_tex_only_where_rows_break():
    formulas = set(TRICKY)
    for item in load_builtin().items:  # every formula of 20 variants of each item, as written
        texts = [item.prompt, item.answer, item.explanation, item.insight]
        for seed in variant_seeds(item, 20):
            made = variant_maker.make(item, seed)
            texts += [made.prompt, made.solution]
        for text in texts:
            formulas.update(m[0] or m[1] for m in re.findall(r"\\\((.*?)\\\)|\\\[(.*?)\\\]",
                                                             text, flags=re.S))
    split = 0
    for tex in formulas:
        for display in (False, True):
            out = fit_math(tex, display)
            split += r"\begin{aligned}" in out
            assert _without_layout(out) == re.sub(r"\s", "", tex), (tex, out)
    assert split > 100  # the invariant was checked on formulas that really were broken up
