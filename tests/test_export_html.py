"""The printable practice sheets, checked as HTML and as Chromium prints them.

The print tests read the PDF that headless Chromium makes of one two-sheet export (printed
once per module): page size, where sheets and keys start, that no question is split across
pages, that every title is there, that the body text is printed at 9pt or more (Chromium
shrinks a page that is too wide), and that each key answers the variants on its sheet. Single
sheets for a few seeds are printed too: a sheet and its key fit on MAX_PAGES pages.
"""

from __future__ import annotations

import html as html_lib
import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from drill import variants
from drill.errors import DrillError, UnknownItemError
from drill.exporters.html import ExportError, HtmlExporter
from drill.exporters.mathml import mathml
from drill.models import Deck, Item
from tests.chromium import print_to_pdf

TODAY = date(2026, 11, 25)
SEED = 11
SHEETS = 2
N_ITEMS = 12
A4_POINTS = (595.28, 841.89)
MIN_BODY_PT = 9.0  # readable on paper; smaller print would not fit a sheet and key on 9 pages
MAX_PAGES = 9  # one sheet of the 12 items with its answer key
PAGE_SEEDS = (0, 3, 4242)
DECK_TITLE = "Deep-learning foundations"
# A question's footer, its last line: "relu · variant 0", or for a concept question with a
# practice part "sigmoid-range · a) variant 0 · b) variant 123".
FOOTER = re.compile(
    r"([a-z0-9]+(?:-[a-z0-9]+)*) · (?:variant (\d+)|a\) variant (\d+) · b\) variant (\d+))"
)


def export(deck_or_decks, path, **kwargs):
    decks = deck_or_decks if isinstance(deck_or_decks, list) else [deck_or_decks]
    kwargs.setdefault("seed", SEED)
    kwargs.setdefault("today", TODAY)
    return HtmlExporter().export(decks, path, **kwargs)


def questions(html: str, sheet: int = 1) -> list[str]:
    """The question blocks of one sheet, without their ids (which carry the sheet number)."""
    found = re.findall(
        rf'<article class="question" id="sheet-{sheet}-q\d+">(.*?)</article>', html, flags=re.S
    )
    assert found, f"no questions for sheet {sheet}"
    return found


def plain(markup: str) -> str:
    """Text of an HTML fragment, tags dropped, entities decoded and whitespace collapsed."""
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def footers(text: str) -> list[tuple[str, list[int]]]:
    """Each question footer in `text`: (item id, the variant seeds printed, in order)."""
    return [(item_id, [int(seed) for seed in seeds if seed])
            for item_id, *seeds in FOOTER.findall(text)]


def tail(text: str) -> str | None:
    """The last stretch of plain prose (3 words or more) in deck text, between formulas:
    what a question's text ends with, as HTML and PDF print it (math prints differently)."""
    pieces = re.split(r"\\\(.*?\\\)|\\\[.*?\\\]", " ".join(text.split()), flags=re.S)
    prose = [" ".join(p.strip(" ,.;:").split()) for p in pieces if len(p.split()) >= 3]
    return prose[-1] if prose else None


# -- the HTML --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def one_sheet(deck, tmp_path_factory):
    path = tmp_path_factory.mktemp("one") / "sheet.html"
    summary = export(deck, path)
    return summary, path.read_text(encoding="utf-8")


def test_one_sheet_has_every_item_as_a_numbered_question(one_sheet, deck):
    summary, html = one_sheet
    assert summary["sheets"] == 1 and summary["questions"] == N_ITEMS
    assert summary["key_path"] is None
    blocks = questions(html)
    assert len(blocks) == N_ITEMS
    for number, (block, item) in enumerate(zip(blocks, deck.items), start=1):
        title = plain(re.search(r'<h2 class="q-title">(.*?)</h2>', block, re.S).group(1))
        assert title == f"{number}. {item.title}"


def test_header_has_title_date_seed_and_name_and_score_boxes(one_sheet):
    _, html = one_sheet
    head = plain(re.search(r'<header class="sheet-head">(.*?)</header>', html, re.S).group(1))
    assert DECK_TITLE in head
    assert "2026-11-25" in head
    assert f"seed {SEED}" in head
    assert "Name" in head and f"Score / {N_ITEMS}" in head


def test_the_file_is_self_contained_and_runs_no_scripts(one_sheet):
    _, html = one_sheet
    lowered = html.lower()
    for forbidden in ("<script", "<link", "<iframe", "<img", "src=", "http:", "https:",
                      "url(", "@import", " on"):
        if forbidden == " on":
            assert not re.search(r"<[^>]*\son[a-z]+=", lowered), "an event handler attribute"
        else:
            assert forbidden not in lowered, forbidden
    assert lowered.count("<style>") == 1


def test_print_css_sets_the_page_breaks_and_sizes(one_sheet):
    _, html = one_sheet
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert re.search(r"@page\s*{[^}]*size:\s*A4", css)
    assert re.search(r"\.question\s*{[^}]*break-inside:\s*avoid", css)
    assert re.search(r"pre\.code\s*{[^}]*break-inside:\s*avoid", css)
    assert re.search(r"h1, h2\s*{[^}]*break-after:\s*avoid", css)
    backgrounds = re.findall(r"background(?:-color)?:\s*([^;}]+)", css)
    assert {value.strip() for value in backgrounds} <= {"#fff", "none"}, "paper needs none"
    size = float(re.search(r"html\s*{\s*font-size:\s*([\d.]+)pt", css).group(1))
    assert size >= MIN_BODY_PT


def test_math_is_native_mathml_with_bracketed_matrices_and_fractions(one_sheet):
    _, html = one_sheet
    body = html.split("</style>", 1)[1]
    assert "\\(" not in body and "\\[" not in body and "\\begin" not in body
    assert 'class="math-text' not in body, "every formula of the deck converts to MathML"
    # forward-pass prints W1 as a bracketed matrix
    first = questions(html)[0]
    assert re.search(r"<mo>\[</mo><mtable>.*?</mtable><mo>\]</mo>", first, re.S)
    assert "<mfrac>" in html


def test_signs_and_named_operators_are_spaced_like_tex():
    vector = mathml("x = [3, -2, -3]")
    assert vector.count('form="prefix"') == 2
    difference = mathml("a - b")
    assert 'form="prefix"' not in difference
    relu = mathml(r"\max(z, 0)")
    assert '<mo lspace="0" rspace="0">max</mo>' in relu
    log = mathml(r"\log x")
    assert 'rspace="0.1667em">log</mo>' in log


def test_long_formulas_can_wrap_after_relations_and_commas():
    long = r"z_1 = [1 \cdot 2 + 3, 4 \cdot 5 + 6, 7 \cdot 8 + 9] = [5, 26, 65]"
    pieces = mathml(long).split("<wbr>")
    assert len(pieces) >= 4
    assert all(p.startswith("<math") and p.endswith("</math>") for p in pieces)
    # a matrix never gets cut: its brackets stretch over the whole table
    matrix = r"W = \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}, b = [1, 2, 3, 4, 5, 6]"
    for piece in mathml(matrix).split("<wbr>"):
        assert piece.count("<mtable>") == piece.count("</mtable>")
        if "<mtable>" in piece:
            assert "<mo>[</mo>" in piece and "<mo>]</mo>" in piece


def test_code_items_show_the_starter_and_the_key_the_reference(one_sheet, deck):
    _, html = one_sheet
    blocks = questions(html)
    for item, block in zip(deck.items, blocks):
        if item.kind != "code":
            continue
        assert '<pre class="code">' in block, item.id
        for name in item.functions:
            assert name in plain(block), (item.id, name)
        assert re.search(r'class="rule"', block), f"{item.id} has lined space"
        assert "· variant 0<" in block, "code items keep their own version"
    key = html.split('<section class="part key"', 1)[1]
    assert key.count('<pre class="code">') == sum(1 for i in deck.items if i.kind == "code")


def test_working_space_is_sized_to_the_kind(one_sheet, deck):
    _, html = one_sheet
    code_lines = {"fix": [], "write": []}
    for item, block in zip(deck.items, questions(html)):
        rules, boxes = block.count('class="rule"'), block.count('class="work-box"')
        answer_lines = plain(block).count("Answer:")
        if item.kind == "numeric":
            assert (rules, boxes, answer_lines) == (0, 1, 1), item.id
        elif item.kind == "code":
            assert boxes == 0 and answer_lines == 0 and rules >= 2, item.id
            code_lines[item.task].append(rules)
        else:  # a written answer, and the practice's number under it when there is one
            practice = 1 if item.generator is not None else 0
            assert rules >= 5 and (boxes, answer_lines) == (practice, practice), item.id
    # writing functions takes more room than fixing a line
    assert max(code_lines["fix"]) < min(code_lines["write"])


def test_recall_items_ask_their_concept_question_and_then_the_practice(one_sheet, deck):
    _, html = one_sheet
    with_practice = set()
    for item, block in zip(deck.items, questions(html)):
        if item.kind != "recall":
            continue
        text = plain(block)
        ((item_id, seeds),) = footers(text)
        assert item_id == item.id
        concept = text.index(tail(item.prompt))  # the item's own question comes first
        if item.generator is None:
            assert seeds == [0] and "b)" not in text, item.id
            continue
        with_practice.add(item.id)
        assert seeds[0] == 0 and seeds[1] > 0, item.id
        practice = variants.make(item, seeds[1])
        assert practice.mode == "numeric"
        assert text.index("a) In your own words:") < concept < text.index("b) Practice:")
        assert text.index("b) Practice:") < text.index(tail(practice.prompt)), item.id
        assert text.index(tail(practice.prompt)) < text.index("Answer:"), item.id
    assert {"sigmoid-range", "learning-rate", "target-network"} <= with_practice


def test_the_key_follows_the_sheet_on_a_new_page_with_every_answer(one_sheet, deck):
    _, html = one_sheet
    parts = re.findall(r'<section class="part (sheet|key)"', html)
    assert parts == ["sheet", "key"]
    key = plain(html.split('<section class="part key"', 1)[1])
    for block, item in zip(questions(html), deck.items):
        ((_, seeds),) = footers(plain(block))
        for seed in seeds:
            assert f"{item.id}, variant seed {seed}" in key
        if item.kind == "recall" and item.checklist:
            assert plain(item.checklist[0]) in key, "concept answers as their key points"


def test_same_seed_and_date_give_the_same_bytes(tmp_path, deck):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    export(deck, a, sheets=2)
    export(deck, b, sheets=2)
    assert a.read_bytes() == b.read_bytes()


def test_a_different_seed_gives_different_numbers(tmp_path, deck):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    export(deck, a, seed=11)
    export(deck, b, seed=12)
    first, second = questions(a.read_text()), questions(b.read_text())
    for item, q1, q2 in zip(deck.items, first, second):
        if item.kind == "numeric":
            assert plain(q1) != plain(q2), item.id


def test_the_date_comes_from_the_caller(tmp_path, deck):
    path = tmp_path / "a.html"
    export(deck, path, today=datetime(2027, 1, 2, 9, 30, tzinfo=UTC))
    assert "2027-01-02 · seed 11" in path.read_text()


def test_every_sheet_of_a_bundle_reprints_alone_from_the_seed_it_shows(tmp_path, deck):
    bundle, alone = tmp_path / "bundle.html", tmp_path / "alone.html"
    export(deck, bundle, seed=SEED, sheets=3)
    text = bundle.read_text()
    assert [f"seed {SEED + k}" in text for k in range(3)] == [True] * 3
    export(deck, alone, seed=SEED + 2)
    assert questions(text, sheet=3) == questions(alone.read_text(), sheet=1)
    assert questions(text, sheet=1) != questions(text, sheet=2)


def test_chosen_items_only(tmp_path, deck):
    path = tmp_path / "two.html"
    summary = export(deck, path, items=["weight-decay", "relu"])
    html = path.read_text()
    assert summary["questions"] == 2
    titles = [plain(re.search(r'<h2 class="q-title">(.*?)</h2>', q, re.S).group(1))
              for q in questions(html)]
    assert titles == ["1. ReLU and its backward pass", "2. L2 regularisation as weight decay"]
    assert "/ 2<" in html
    # an item keeps its variant whatever else is on the sheet
    full = tmp_path / "full.html"
    export(deck, full)
    assert FOOTER.search(plain(questions(html)[1])).group(0) in plain(full.read_text())


def test_answers_separate_writes_the_key_next_to_the_sheet(tmp_path, deck):
    path = tmp_path / "drill.html"
    summary = export(deck, path, sheets=2, answers="separate")
    key_path = tmp_path / "drill-key.html"
    assert summary["key_path"] == str(key_path)
    sheets, keys = path.read_text(), key_path.read_text()
    assert re.findall(r'<section class="part (sheet|key)"', sheets) == ["sheet", "sheet"]
    assert re.findall(r'<section class="part (sheet|key)"', keys) == ["key", "key"]
    assert "Answer key" not in sheets
    for sheet in (1, 2):
        for block in questions(sheets, sheet):
            ((item_id, seeds),) = footers(plain(block))
            for seed in seeds:
                assert f"{item_id}, variant seed {seed}" in keys


def test_answers_none_leaves_the_key_out(tmp_path, deck):
    path = tmp_path / "drill.html"
    summary = export(deck, path, answers="none")
    assert summary["key_path"] is None
    assert "Answer key" not in path.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drill.html"]


def _custom_deck(tmp_path, **fields) -> Deck:
    values = {
        "id": "hostile", "kind": "recall", "title": "Escaping <b>titles</b>", "tags": ("t::x",),
        "prompt": "Is <b>this</b> bold & \\(a < b\\)? Also \\(\\text{<i>x</i>}\\) and\n"
               "\\[\\frac{1}{2}\\]",
        "answer": "It is <em>not</em>.", "explanation": "Because <script>alert(1)</script>.",
        "insight": "Escape it.", "deck": "custom", "position": 1, "folder": tmp_path,
    }
    values.update(fields)
    item = Item(**values)
    return Deck(name="custom", title="<script>deck</script>", description="",
                folder=tmp_path, items=(item,))


def test_deck_text_is_escaped_and_only_our_math_is_markup(tmp_path):
    path = tmp_path / "x.html"
    export(_custom_deck(tmp_path), path)
    html = path.read_text()
    assert "<script" not in html and "<b>" not in html and "<em>" not in html and "<i>" not in html
    assert "&lt;script&gt;deck&lt;/script&gt;" in html
    assert "Escaping &lt;b&gt;titles&lt;/b&gt;" in html
    assert "Is &lt;b&gt;this&lt;/b&gt; bold &amp; " in html
    assert "<mo>&lt;</mo>" in html  # a < b as MathML
    # \text{<i>...} cannot be trusted as MathML: it falls back to escaped text
    assert 'class="math-text">' in html and "&lt;i&gt;x&lt;/i&gt;" in html
    assert '<div class="display"><math display="block">' in html  # \[ \] is displayed


def test_punctuation_after_a_formula_stays_on_its_line(tmp_path):
    path = tmp_path / "x.html"
    deck = _custom_deck(tmp_path, title="Plain", prompt="The rate is \\(\\alpha = 10\\). Then?")
    export(deck, path)
    assert re.search(r'<span class="nobr"><math display="inline">.*?</math>\.</span> Then\?',
                     path.read_text())


def test_unconvertible_math_falls_back_to_readable_text(tmp_path):
    path = tmp_path / "x.html"
    deck = _custom_deck(tmp_path, title="Plain", prompt="Broken: \\(\\frac{1}{\\)")
    export(deck, path)
    assert "<p>Broken: <span class=\"math-text\">1/</span></p>" in path.read_text()


def test_mathml_keeps_only_mathml():
    assert mathml(r"\href{http://example.com}{x}") is not None
    assert "href" not in mathml(r"\href{http://example.com}{x}")
    assert "style" not in mathml(r"\style{color:red}{x}")
    assert mathml(r"\text{a < b}") is None


@pytest.mark.parametrize(
    ("name", "kwargs", "error", "message"),
    [
        ("missing/sheet.html", {}, ExportError, "does not exist"),
        ("sheet.pdf", {}, ExportError, ".html"),
        ("sheet.html", {"items": ["relu", "nope"]}, UnknownItemError, "'nope'"),
        ("sheet.html", {"items": []}, ExportError, "no item ids"),
        ("sheet.html", {"sheets": 0}, ExportError, "from 1 to 50"),
        ("sheet.html", {"sheets": 51}, ExportError, "from 1 to 50"),
        ("sheet.html", {"sheets": True}, ExportError, "from 1 to 50"),
        ("sheet.html", {"answers": "start"}, ExportError, "end, separate, none"),
        ("sheet.html", {"seed": -1}, DrillError, "seed"),
        ("sheet.html", {"seed": 2**63 - 1, "sheets": 2}, ExportError, "no room"),
    ],
)
def test_bad_requests_are_refused_with_one_line(tmp_path, deck, name, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)) as caught:
        export(deck, tmp_path / name, **kwargs)
    assert isinstance(caught.value, DrillError)
    assert "\n" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_folder_is_refused_as_the_sheet_or_its_key(tmp_path, deck):
    (tmp_path / "sheet.html").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        export(deck, tmp_path / "sheet.html")
    (tmp_path / "other-key.html").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        export(deck, tmp_path / "other.html", answers="separate")
    assert not (tmp_path / "other.html").exists()


@pytest.mark.skipif(sys.platform != "linux", reason="uses /proc, where nobody can create files")
def test_an_unwritable_place_is_refused_with_one_line(deck):
    with pytest.raises(ExportError, match=r"cannot write") as caught:
        export(deck, Path("/proc/drill-sheet.html"))
    assert "\n" not in str(caught.value)


def test_importing_the_exporter_loads_no_template_math_or_cli_library():
    code = (
        "import sys, drill.exporters.html; "
        "print(sorted(m for m in ('jinja2', 'latex2mathml', 'pygments', 'click') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- as Chromium prints it -------------------------------------------------------------------


@pytest.fixture(scope="module")
def printed(deck, tmp_path_factory):
    """Two sheets with their keys, printed once by headless Chromium: (pages' text, reader)."""
    folder = tmp_path_factory.mktemp("print")
    html = folder / "sheets.html"
    export(deck, html, sheets=SHEETS)
    reader = PdfReader(str(print_to_pdf(html, folder / "sheets.pdf")))
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    return texts, reader


def _layout(texts):
    """Page ranges: [(kind, seed, first page, end page)] for each sheet and key, in order."""
    starts = []
    for number, text in enumerate(texts):
        head = re.match(rf"{DECK_TITLE} 2026-11-25 · seed (\d+)", text)
        if head:
            starts.append(("sheet", int(head.group(1)), number))
        key = re.match(rf"Answer key {DECK_TITLE} · 2026-11-25 · seed (\d+)", text)
        if key:
            starts.append(("key", int(key.group(1)), number))
    ends = [start for _, _, start in starts[1:]] + [len(texts)]
    return [(kind, seed, start, end) for (kind, seed, start), end in zip(starts, ends)]


def test_pages_are_a4(printed):
    _, reader = printed
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2


def test_each_sheet_and_each_key_starts_a_page_in_order(printed):
    texts, _ = printed
    layout = _layout(texts)
    expected = [(kind, SEED + k) for k in range(SHEETS) for kind in ("sheet", "key")]
    assert [(kind, seed) for kind, seed, _, _ in layout] == expected
    assert layout[0][2] == 0
    for kind, _seed, start, end in layout:
        assert end > start
        # a start page begins with the header: the previous part ended on the page before
        assert texts[start].startswith("Answer key" if kind == "key" else DECK_TITLE)


def test_the_answer_key_page_holds_no_question(printed):
    texts, _ = printed
    first_key = next(n for n, text in enumerate(texts) if "Answer key" in text)
    assert not FOOTER.search(texts[first_key]), "a question footer on the key's page"
    assert "Name" not in texts[first_key] and "Working" not in texts[first_key]
    assert FOOTER.findall(texts[first_key - 1]), "the last question ends just before the key"


def test_every_title_is_printed_on_each_sheet_and_key(printed, deck):
    texts, _ = printed
    for kind, seed, start, end in _layout(texts):
        part = " ".join(texts[start:end])
        for number, item in enumerate(deck.items, start=1):
            assert f"{number}. {item.title}" in part, (kind, seed, item.id)


def pdf_texts(html: Path) -> tuple[list[str], PdfReader]:
    """Print `html` with headless Chromium: each page's text (whitespace collapsed), the reader."""
    reader = PdfReader(str(print_to_pdf(html, html.with_suffix(".pdf"))))
    return [" ".join(page.extract_text().split()) for page in reader.pages], reader


def assert_questions_whole(texts: list[str], pages: range, items) -> dict[str, tuple[int, list]]:
    """Every question of `items` lies on one page of `pages`: its title, the last words of its
    prompts and its footer (its last line). Returns {item id: (page, variant seeds)}."""
    found = {}
    for page in pages:
        for item_id, seeds in footers(texts[page]):
            assert item_id not in found, f"{item_id} has two footers"
            found[item_id] = (page, seeds)
    assert list(found) == [item.id for item in items], "every footer, in deck order"
    endings = 0
    for number, item in enumerate(items, start=1):
        title = f"{number}. {item.title}"
        on = [page for page in pages if title in texts[page]]
        assert len(on) == 1, (title, on)
        page, seeds = found[item.id]
        # the footer is a question's last line: on the title's page, after it, nothing was cut
        assert page == on[0], (item.id, "split across pages", on[0] + 1, page + 1)
        assert texts[page].index(title) < texts[page].index(f"{item.id} · "), item.id
        prompts = [item.prompt] if item.kind == "recall" else []
        prompts += [variants.make(item, seed).prompt for seed in seeds if seed or not prompts]
        for prompt in prompts:
            ending = tail(prompt)
            if ending is not None:
                assert ending in texts[page], (item.id, ending)
                endings += 1
    assert endings >= len(items) // 2, "enough prompts end in prose to check"
    return found


def test_no_question_is_split_across_pages(printed, deck):
    texts, _ = printed
    for kind, _seed, start, end in _layout(texts):
        if kind == "sheet":
            assert_questions_whole(texts, range(start, end), deck.items)


def test_no_heading_or_label_ends_a_page(printed, deck):
    texts, _ = printed
    headings = [f"{n}. {item.title}" for n, item in enumerate(deck.items, start=1)]
    headings += ["Answer key", "Reference solution", "Key points:", "Answer:",
                 "In your own words:", "Practice:", "Your answer", "Your code", "Your fix"]
    for number, text in enumerate(texts[:-1]):
        for heading in headings:
            assert not text.endswith(heading), (number + 1, heading)
        assert not re.search(r"variant seed \d+$", text), f"page {number + 1} ends on a key title"


def test_each_key_answers_the_variants_on_its_sheet(printed, deck):
    texts, _ = printed
    layout = _layout(texts)
    by_id = {item.id: item for item in deck.items}
    for k in range(SHEETS):
        (_, _, s0, s1), (_, _, k0, k1) = layout[2 * k], layout[2 * k + 1]
        sheet, key = " ".join(texts[s0:s1]), " ".join(texts[k0:k1])
        printed_variants = footers(sheet)
        assert len(printed_variants) == N_ITEMS
        for item_id, seeds in printed_variants:
            item = by_id[item_id]
            for seed in seeds:
                assert f"{item_id}, variant seed {seed}" in key
                variant = variants.make(item, seed)
                if variant.mode == "numeric":
                    assert f"Answer: {variant.answer_text}" in key, (item_id, seed)
            if item.kind == "recall" and item.checklist:
                # the concept question's key points, whether or not a practice follows
                assert f"Key points: {item.checklist[0]}" in key, item_id
    numeric_seeds = [[seeds for item_id, seeds in footers(" ".join(texts[a:b]))
                      if item_id == "forward-pass"] for kind, _, a, b in layout if kind == "sheet"]
    assert numeric_seeds[0] != numeric_seeds[1], "the two sheets print different variants"


def test_body_text_is_printed_at_nine_points_or_more(printed):
    _, reader = printed
    sizes: Counter = Counter()

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * (cm[2] ** 2 + cm[3] ** 2) ** 0.5
            sizes[round(size * scale, 1)] += len(text.strip())

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    body_size, _ = sizes.most_common(1)[0]
    assert body_size >= MIN_BODY_PT, sizes.most_common(5)


def printed_once(deck, tmp_path_factory, folder: str, name: str, **options):
    """A function from a seed to the text of each page of the sheet exported for that seed
    (with `options`) and printed by Chromium; each seed is exported and printed only once."""
    done = {}

    def printed_for(seed: int):
        if seed not in done:
            html = tmp_path_factory.mktemp(f"{folder}{seed}") / name
            export(deck, html, seed=seed, **options)
            done[seed] = pdf_texts(html)[0]
        return done[seed]

    return printed_for


@pytest.fixture(scope="module")
def one_printed(deck, tmp_path_factory):
    """Print one sheet with its key for a seed (each seed printed once per module)."""
    return printed_once(deck, tmp_path_factory, "seed", "sheet.html")


@pytest.mark.parametrize("seed", PAGE_SEEDS)
def test_a_sheet_and_its_key_fit_on_nine_pages_without_splitting_a_question(
        one_printed, deck, seed):
    texts = one_printed(seed)
    assert len(texts) <= MAX_PAGES, f"{len(texts)} pages for seed {seed}"
    key = next(n for n, text in enumerate(texts) if text.startswith("Answer key"))
    assert texts[0].startswith(f"{DECK_TITLE} 2026-11-25 · seed {seed}")
    assert_questions_whole(texts, range(key), deck.items)
    keyed = " ".join(texts[key:])
    for number, item in enumerate(deck.items, start=1):
        assert f"{number}. {item.title}" in keyed, item.id


@pytest.mark.parametrize("seed", PAGE_SEEDS)
def test_recall_items_print_the_concept_question_and_the_practice(one_printed, deck, seed):
    texts = one_printed(seed)
    key = next(n for n, text in enumerate(texts) if text.startswith("Answer key"))
    where = assert_questions_whole(texts, range(key), deck.items)
    keyed = " ".join(texts[key:])
    for number, item in enumerate(deck.items, start=1):
        if item.kind != "recall" or item.generator is None:
            continue
        page, seeds = where[item.id]
        assert seeds[0] == 0 and seeds[1] > 0, (item.id, seeds)
        # the question's own text: from its title to its footer
        text = texts[page]
        text = text[text.index(f"{number}. {item.title}"):text.index(f"{item.id} · a) variant")]
        concept, practice = tail(item.prompt), tail(variants.make(item, seeds[1]).prompt)
        first = text.index(f"a) In your own words: {item.prompt.split()[0]}")
        assert first < text.index(concept) < text.index("b) Practice:") < text.index(practice)
        # the key answers both: the key points, then the practice's number
        answer = variants.make(item, seeds[1]).answer_text
        assert keyed.index(f"Key points: {item.checklist[0]}") < keyed.index(
            f"b) Practice {item.id}, variant seed {seeds[1]} Answer: {answer}"), item.id
