"""The self-check on paper (`HtmlExporter.export(selfcheck=True)`), as HTML and as printed.

Expected values come from the fixed contracts and the source self-check, not from the
exporter: numeric answers are recomputed here from each variant's named parameters, the pass
mark and band ranges are the source's (9 out of 12; 9-12, 7-8, below 7), and concept
questions are the items' own prompts.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from drill import selfcheck, variants
from drill.exporters.html import ExportError
from tests.test_export_html import (
    DECK_TITLE,
    MAX_PAGES,
    TODAY,
    _custom_deck,
    assert_questions_whole,
    export,
    footers,
    plain,
    printed_once,
    questions,
    tail,
)

SEED = 11
PAGE_SEEDS = (0, 7, 4242)
N_ITEMS = 12
PASS_LINE = "Pass: 9 out of 12."
BAND_RANGES = {"ready": "9–12", "review": "7–8", "redo": "below 7"}
HEAD = f"{DECK_TITLE}: self-check"


def expected_number(item_id: str, params: dict):
    """The right answer from a numeric variant's named parameters (the fixed contract)."""
    if item_id == "forward-pass":
        hidden = np.maximum(np.array(params["W1"]) @ np.array(params["x"]) + params["b1"], 0)
        out = np.array(params["W2"]) @ hidden + params["b2"]
        return out.tolist() if out.size > 1 else float(out[0])
    assert item_id == "weight-decay", item_id
    alpha, lam = params["alpha"], params["lam"]
    return {
        "factor": lambda: 1 - alpha * lam,
        "gradient": lambda: params["grad"] + lam * params["w"],
        "step": lambda: params["w"] * (1 - alpha * lam) - alpha * params["grad"],
    }[params["asks"]]()


@pytest.fixture(scope="module")
def paper(deck, tmp_path_factory):
    path = tmp_path_factory.mktemp("paper") / "selfcheck.html"
    summary = export(deck, path, seed=SEED, selfcheck=True)
    return summary, path.read_text(encoding="utf-8")


# -- the HTML --------------------------------------------------------------------------------


def test_the_paper_asks_the_twelve_items_as_the_selfcheck_does(paper, deck):
    summary, html = paper
    assert summary["questions"] == N_ITEMS and summary["pass_mark"] == 9
    blocks = questions(html)
    assert len(blocks) == N_ITEMS
    for number, (item, block) in enumerate(zip(deck.items, blocks), start=1):
        text = plain(block)
        assert text.startswith(f"{number}. {item.title}")
        ((item_id, seeds),) = footers(text)
        assert item_id == item.id
        if item.kind == "numeric":
            # variant N itself, as `drill selfcheck --seed N` asks it
            assert seeds == [SEED] and "Answer:" in text, item.id
            assert 'class="work-box"' in block
        elif item.kind == "code":
            assert seeds == [0] and '<pre class="code">' in block, item.id
            for name in item.functions:
                assert re.search(rf"def {name} ?\(", text), (item.id, name)
        else:
            # its own concept question, never the numeric practice
            assert seeds == [0] and tail(item.prompt) in text, item.id
            assert "Practice" not in text and 'class="work-box"' not in block, item.id
            assert block.count('class="rule"') >= 5, item.id


def test_the_header_has_the_seed_score_box_pass_mark_and_bands(paper):
    _, html = paper
    head = plain(html.split('<article class="question"', 1)[0].split("<body>", 1)[1])
    assert f"{HEAD} 2026-11-25 · seed {SEED}" in head
    assert "Name" in head and f"Score / {N_ITEMS}" in head
    assert PASS_LINE in head
    for band in selfcheck.BANDS:
        assert f"{BAND_RANGES[band.name]} {band.name} {band.advice}" in head, band.name
    assert f"drill selfcheck --seed {SEED}" in head


def test_the_key_starts_with_an_answer_list_of_all_twelve(paper, deck):
    _, html = paper
    key = html.split('<section class="part key"', 1)[1]
    listed, worked = key.split('<div class="worked', 1)
    rows = re.findall(r"<tr>(.*?)</tr>", listed.split("<tbody>", 1)[1], re.S)
    assert len(rows) == N_ITEMS
    for number, (item, row) in enumerate(zip(deck.items, rows), start=1):
        text = plain(row)
        assert text.startswith(f"{number}. {item.title} {item.id}"), text
        short = text[len(f"{number}. {item.title} {item.id}"):].strip()
        if item.kind == "numeric":
            params = variants.make(item, SEED).params
            assert json.loads(short) == pytest.approx(expected_number(item.id, params))
        elif item.kind == "recall":
            assert short == " ".join(item.checklist), item.id
        else:
            assert short == plain(item.answer), item.id
    # the worked solutions follow, one per item, with the references of the code items
    assert plain(worked.split(">", 1)[1]).startswith("Worked solutions")
    assert worked.count('<article class="key-item">') == N_ITEMS
    assert worked.count('<pre class="code">') == sum(i.kind == "code" for i in deck.items)


def test_seed_zero_is_the_source_selfcheck(deck, tmp_path):
    path = tmp_path / "zero.html"
    export(deck, path, seed=0, selfcheck=True)
    rows = re.findall(r"<tr>(.*?)</tr>", path.read_text().split("<tbody>", 1)[1], re.S)
    answers = {item.id: plain(row).rsplit(" ", 1)[1] for item, row in zip(deck.items, rows)
               if item.kind == "numeric"}
    assert answers == {"forward-pass": "2", "weight-decay": "0.9999"}


def test_same_seed_same_paper_and_a_bundle_reprints_alone(deck, tmp_path):
    a, b, bundle = tmp_path / "a.html", tmp_path / "b.html", tmp_path / "bundle.html"
    export(deck, a, seed=5, selfcheck=True)
    export(deck, b, seed=5, selfcheck=True)
    assert a.read_bytes() == b.read_bytes()
    export(deck, bundle, seed=4, sheets=2, selfcheck=True)
    both = bundle.read_text()
    assert "seed 4 · paper 1 of 2" in both and "seed 5 · paper 2 of 2" in both
    assert questions(both, sheet=2) == questions(a.read_text(), sheet=1)


@pytest.mark.parametrize("answers", ["separate", "none"])
def test_the_key_can_go_in_its_own_file_or_be_left_out(deck, tmp_path, answers):
    path = tmp_path / "paper.html"
    summary = export(deck, path, selfcheck=True, answers=answers)
    assert "Answer key" not in path.read_text()
    assert PASS_LINE in plain(path.read_text())
    key_path = tmp_path / "paper-key.html"
    assert key_path.exists() == (answers == "separate")
    if answers == "separate":
        assert summary["key_path"] == str(key_path)
        key = plain(key_path.read_text())
        assert "Answer key" in key and "Worked solutions" in key


def test_chosen_items_are_refused(deck, tmp_path):
    with pytest.raises(ExportError, match="all 12 items") as caught:
        export(deck, tmp_path / "x.html", items=["relu"], selfcheck=True)
    assert "\n" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_it_needs_the_builtin_deck(tmp_path):
    with pytest.raises(ExportError, match="built-in deck"):
        export(_custom_deck(tmp_path), tmp_path / "x.html", selfcheck=True)


# -- as Chromium prints it -------------------------------------------------------------------


@pytest.fixture(scope="module")
def printed_paper(deck, tmp_path_factory):
    """Print the self-check paper for a seed (each seed printed once per module)."""
    return printed_once(deck, tmp_path_factory, "paper", "selfcheck.html", selfcheck=True, today=TODAY)


def _parts(texts: list[str]) -> tuple[int, int]:
    """The page of the answer list and the first page of the worked solutions."""
    key = [n for n, text in enumerate(texts) if text.startswith("Answer key")]
    worked = [n for n, text in enumerate(texts) if text.startswith("Worked solutions")]
    assert len(key) == 1 and len(worked) == 1, (key, worked)
    return key[0], worked[0]


@pytest.mark.parametrize("seed", PAGE_SEEDS)
def test_the_printed_paper_fits_nine_pages_with_whole_questions(printed_paper, deck, seed):
    texts = printed_paper(seed)
    assert len(texts) <= MAX_PAGES, f"{len(texts)} pages for seed {seed}"
    key, _worked = _parts(texts)
    first = texts[0]
    assert first.startswith(f"{HEAD} 2026-11-25 · seed {seed}")
    assert PASS_LINE in first and f"Score / {N_ITEMS}" in first
    for band in selfcheck.BANDS:
        assert f"{BAND_RANGES[band.name]} {band.name} {band.advice}" in first, band.name
    where = assert_questions_whole(texts, range(key), deck.items)
    for item in deck.items:
        page, seeds = where[item.id]
        assert seeds == [seed if item.kind == "numeric" else 0], item.id
        if item.kind == "recall":
            assert tail(item.prompt) in texts[page], item.id
    assert not any("Practice" in text for text in texts[:key]), "no practice on the paper"


@pytest.mark.parametrize("seed", PAGE_SEEDS)
def test_the_printed_answer_list_is_one_page_before_the_worked_solutions(
        printed_paper, deck, seed):
    texts = printed_paper(seed)
    key, worked = _parts(texts)
    assert worked == key + 1, "the answer list is one page, the worked solutions follow"
    listed = texts[key]
    assert "Key insight" not in listed and "Reference solution" not in listed
    positions = []
    for number, item in enumerate(deck.items, start=1):
        row = f"{number}. {item.title} {item.id}"
        assert row in listed, row
        positions.append(listed.index(row))
        following = (f"{number + 1}. {deck.items[number].title}" if number < N_ITEMS else None)
        short = listed[listed.index(row) + len(row):listed.index(following) if following else None]
        if item.kind == "numeric":
            params = variants.make(item, seed).params
            assert json.loads(short) == pytest.approx(expected_number(item.id, params)), item.id
        elif item.kind == "recall":
            # (pypdf spaces out some symbols, such as the superscript in θ⁻)
            squeezed = "".join(short.split())
            assert all("".join(point.split()) in squeezed for point in item.checklist), item.id
    assert positions == sorted(positions)
    solutions = " ".join(texts[worked:])
    starts = [solutions.index(f"{n}. {item.title} {item.id}, variant seed")
              for n, item in enumerate(deck.items, start=1)]
    assert starts == sorted(starts), "every worked solution, in order"
