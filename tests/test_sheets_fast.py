"""The quick way of making sheets writes the very bytes the plain way writes.

Three references hold the sheets to their bytes:

* the plain way kept in drill.exporters itself: `mathml(reference=True)` (exporters/mathml.py)
  converts math through latex2mathml's text and ElementTree's parser and writer, and
  `TextRenderer(reference=True)` turns every text into HTML anew, caching nothing but
  formulas, as sheets were made before the quick way;
* the sheet exporter and template of BEFORE, read out of git and run beside today's on the
  same decks (skipped where there is no git history, e.g. in an installed copy). Then the
  exporter was one module, exporters/html.py with its math; today the math is in
  exporters/mathml.py, and the old module still runs alone. When the sheets are meant to
  change, move BEFORE to the commit that changes them;
* formulas that only the plain way can read (text with markup in it, characters XML
  forbids, elements that are not MathML), which the quick way must hand over to it.
"""

from __future__ import annotations

import functools
import importlib.util
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from drill.exporters import html as html_export
from drill.exporters import mathml as mathml_export
from drill.exporters.html import HtmlExporter, TextRenderer
from drill.exporters.mathml import mathml
from drill.loader import load_builtin, load_deck

REPO = Path(__file__).resolve().parents[1]
BEFORE = "e7f4c90f9c6828d04faa732cc4e86ccd04b2b5a7"  # the last commit before the quick way
TODAY = date(2026, 11, 25)

# (first seed, sheets, answers, selfcheck)
EXPORTS = [
    (0, 1, "end", False),
    (11, 3, "end", False),
    (4242, 2, "separate", False),
    (987_654, 4, "none", False),
    (7, 2, "end", True),
]

# Formulas at the edges of what the quick way reads itself: each one must come out as the
# plain way makes it (MathML, the Unicode fallback, or None).
TRICKY_FORMULAS = [
    r"a < b", r"a > b", r"a \le b \ne c", r"\&", r"\{x\}", r"x_{",
    r"\frac{1}", r"\text{a < b}", r"\text{x & y}", r"\text{]]>}", r"\text{&#x0;}",
    r"\text{&lt;}", r"\text{&amp;}", r"\text{&nbsp;}", r'\text{"quoted"}', "\\text{a\rb}",
    "\\text{tab\there}", "\\text{a\x01b}", r"\text{caf\'e}", r"\text{é ü ß}",
    r"\mbox{<mi>x</mi>}", r"\text{<script>alert(1)</script>}",
    r"\color{red}{x}", r"\href{http://example.com}{y}", r"\operatorname{softmax}(z)",
    r"\max_a Q(s, a)", r"[3, -2]", r"\left( x \right)", r"\sqrt[3]{x}",
    r"\lVert w \rVert_2^2", r"\begin{bmatrix}1 & 2\\ 3 & 4\end{bmatrix}",
    r"\begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}",
    r"\mathbb{R}^{n \times m}", r"\hat{y} = \sigma(w^\top x + b)", r"\\", "", " ",
    r"\unknowncommand{x}", r"x^{2^{3^{4}}}", r"\sum_{i=1}^{n} x_i, \quad y = 10, z = -1",
    r"\text{\#}", r"\%", r"\mathrm{d}x", r"😀 + x",
]


def _formulas(deck, seeds) -> set[tuple[str, bool]]:
    """Every formula (LaTeX, display?) the practice sheets with these seeds print."""
    seen: set[tuple[str, bool]] = set()

    class Recorder(TextRenderer):
        def math(self, latex: str, *, display: bool) -> str:
            seen.add((latex, display))
            return super().math(latex, display=display)

    renderer = Recorder()
    chosen = [(deck, item) for item in deck.items]
    for number, seed in enumerate(seeds, start=1):
        html_export.build_sheet(renderer, chosen, seed, number=number, count=len(seeds))
    return seen


def test_every_formula_of_the_deck_comes_out_as_the_plain_way_makes_it():
    formulas = _formulas(load_builtin(), [0, 1, 2, 3, 11, 99, 4242, 65_536, 987_654])
    assert len(formulas) > 150  # the deck's own text and many variants' numbers
    different = [(latex, display) for latex, display in sorted(formulas)
                 if mathml(latex, display=display)
                 != mathml(latex, display=display, reference=True)]
    assert different == []


@pytest.mark.parametrize("display", [False, True], ids=["inline", "display"])
@pytest.mark.parametrize("latex", TRICKY_FORMULAS)
def test_a_tricky_formula_comes_out_as_the_plain_way_makes_it(latex, display):
    assert mathml(latex, display=display) == mathml(latex, display=display, reference=True)


def test_what_only_the_plain_way_can_read_goes_the_plain_way(monkeypatch):
    """The quick way hands these over (and only these are checked for it)."""
    from latex2mathml.converter import convert_to_element

    handed_over = []
    plain = mathml_export._via_text
    monkeypatch.setattr(mathml_export, "_via_text",
                        lambda latex, display: handed_over.append(latex) or plain(latex, display))
    for latex in (r"\text{a < b}", r"\text{x & y}", r"\text{&#x0;}", "\\text{a\rb}"):
        assert mathml_export._as_parsed(convert_to_element(latex)) is False
        mathml(latex)
    assert handed_over == [r"\text{a < b}", r"\text{x & y}", r"\text{&#x0;}", "\\text{a\rb}"]
    handed_over.clear()
    mathml(r"x^2 + \frac{a}{b} \le \sqrt{2}")
    assert handed_over == []


@pytest.mark.parametrize("latex", TRICKY_FORMULAS)
def test_whatever_the_text_only_mathml_comes_out(latex):
    import xml.etree.ElementTree as ET

    made = mathml(latex)
    for piece in (made.split("<wbr>") if made else []):
        for element in ET.fromstring(piece).iter():
            assert element.tag in mathml_export.MATHML_ELEMENTS
            assert set(element.attrib) <= mathml_export.MATHML_ATTRIBUTES


def _export(tmp_path: Path, name: str, decks, seed, sheets, answers, selfcheck,
            exporter=None) -> dict[str, bytes]:
    folder = tmp_path / name
    folder.mkdir()
    (exporter or HtmlExporter()).export(decks, folder / "sheet.html", seed=seed, sheets=sheets,
                                        answers=answers, today=TODAY, selfcheck=selfcheck)
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.mark.parametrize(("seed", "sheets", "answers", "selfcheck"), EXPORTS)
def test_sheets_are_the_bytes_the_plain_way_writes(tmp_path, monkeypatch, seed, sheets,
                                                   answers, selfcheck):
    deck = load_builtin()
    quick = _export(tmp_path, "quick", [deck], seed, sheets, answers, selfcheck)
    monkeypatch.setattr(html_export, "TextRenderer",
                        functools.partial(TextRenderer, reference=True))
    plain = _export(tmp_path, "plain", [load_builtin()], seed, sheets, answers, selfcheck)
    assert list(quick) == list(plain)
    for name in quick:
        assert quick[name] == plain[name], name


@pytest.fixture(scope="module")
def before(tmp_path_factory):
    """drill.exporters.html as it was at BEFORE, with its template, importable beside today's."""
    git = shutil.which("git")
    if git is None or not (REPO / ".git").exists():
        pytest.skip("no git history here to read the exporter of before from")
    folder = tmp_path_factory.mktemp("before") / "exporters"
    (folder / "templates").mkdir(parents=True)
    for path in ("exporters/html.py", "exporters/templates/sheet.html.j2",
                 "exporters/templates/sheet.css"):
        shown = subprocess.run([git, "-C", str(REPO), "show", f"{BEFORE}:{path}"],
                               capture_output=True, check=False)
        if shown.returncode != 0:
            pytest.skip(f"commit {BEFORE[:7]} is not in this history (a shallow clone?)")
        (folder.parent / path).write_bytes(shown.stdout)
    spec = importlib.util.spec_from_file_location("drill_sheets_before", folder / "html.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


@pytest.mark.parametrize(("seed", "sheets", "answers", "selfcheck"),
                         [*EXPORTS, (11, 50, "end", False)])
def test_sheets_are_the_bytes_the_exporter_of_before_wrote(tmp_path, before, seed, sheets,
                                                             answers, selfcheck):
    now = _export(tmp_path, "now", [load_builtin()], seed, sheets, answers, selfcheck)
    then = _export(tmp_path, "then", [load_builtin()], seed, sheets, answers, selfcheck,
                   exporter=before.HtmlExporter())
    assert list(now) == list(then)
    for name in now:
        assert now[name] == then[name], name


def _tricky_deck(folder: Path):
    """A deck without code whose texts hold TRICKY_FORMULAS, inline and as display math."""
    folder.mkdir()
    (folder / "deck.toml").write_text('name = "tricky"\ntitle = "Tricky <math> & co"\n'
                                      'description = "Formulas at the edges."\n',
                                      encoding="utf-8")
    # TOML holds no control characters but the tab.
    usable = [latex for latex in TRICKY_FORMULAS
              if latex.strip() and not any(c < " " and c != "\t" for c in latex)]
    inline = " and ".join(f"\\({latex}\\)" for latex in usable)
    display = "\n".join(f"\\[{latex}\\]" for latex in usable)
    for number, (item_id, text) in enumerate([("inline", inline), ("display", display)], 1):
        item = folder / f"{number:02d}-{item_id}"
        item.mkdir()
        body = "\n".join([
            f'id = "{item_id}"', 'kind = "recall"', 'tags = ["edge"]', f'title = "Tricky {item_id} \\\\(a < b\\\\)"',
            f"prompt = '''\n{text}\n'''", f"answer = '''\nAt the end \\(x = 1\\).\n{text}\n'''",
            f"explanation = '''\n{text}\n'''", "insight = '''\nSee \\(y\\), then \\(z\\).\n'''",
        ])
        (item / "item.toml").write_text(body + "\n", encoding="utf-8")
    return load_deck(folder)


def test_a_deck_of_tricky_formulas_prints_as_the_plain_way_prints_it(tmp_path, monkeypatch):
    deck = _tricky_deck(tmp_path / "tricky")
    assert len(deck.items) == 2
    quick = _export(tmp_path, "quick", [deck], 3, 2, "end", False)
    monkeypatch.setattr(html_export, "TextRenderer",
                        functools.partial(TextRenderer, reference=True))
    assert _export(tmp_path, "plain", [deck], 3, 2, "end", False) == quick


def test_a_deck_of_tricky_formulas_prints_as_before(tmp_path, before):
    deck = _tricky_deck(tmp_path / "tricky")
    now = _export(tmp_path, "now", [deck], 3, 2, "end", False)
    then = _export(tmp_path, "then", [deck], 3, 2, "end", False, exporter=before.HtmlExporter())
    assert now == then
