"""The Anki export on a phone: every card, shown by Anki's own reviewer 360 and 412 px wide.

The built-in deck is exported, imported into a real Anki collection, and each card's question
and answer are shown in headless Chromium by Anki's reviewer page with Anki's MathJax (see
tests/anki_phone.py). Nothing may reach past the right edge of the screen or need a sideways
scroll, and a wrapped line of code must keep its indentation.
"""

from __future__ import annotations

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from drill.exporters.anki import AnkiExporter
from drill.loader import load_builtin
from tests.anki_phone import Card, collection_cards, render

WIDTHS = (360, 412)  # CSS px: a small and a large Android phone
VARIANTS = 10
SLACK = 1  # px


@pytest.fixture(scope="module")
def cards(tmp_path_factory) -> list[Card]:
    """Every card of the built-in deck's export, as Anki renders it after importing it."""
    folder = tmp_path_factory.mktemp("anki-phone")
    package = folder / "dl-foundations.apkg"
    AnkiExporter().export([load_builtin()], package, variants=VARIANTS)
    col = Collection(str(folder / "collection.anki2"))
    try:
        request = ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions())
        col.import_anki_package(request)
        return collection_cards(col)
    finally:
        col.close()


@pytest.fixture(scope="module")
def reports(cards, tmp_path_factory) -> dict[int, dict]:
    """Each width's measurements of every card, from one Chromium per width."""
    return render(cards, WIDTHS, tmp_path_factory.mktemp("anki-phone-pages"))


def assert_really_shown(report: dict, width: int, cards: list[Card]) -> None:
    """The page measured every card at `width`, with its math typeset by MathJax."""
    assert report["innerWidth"] == report["viewport"] == width, (
        f"the reviewer was {report['innerWidth']} px wide ({report['viewport']} px for the page), "
        f"not {width}")
    assert not report["errors"], f"the reviewer page failed: {report['errors']}"
    shown = report["renders"]
    assert len(shown) == 2 * len(cards), f"{len(shown)} card sides measured of {2 * len(cards)}"
    assert sum(side["math"] for side in shown) > 0, "MathJax typeset no formula"
    untypeset = [f"{side['label']} {side['side']}" for side in shown
                 if side["rawMath"] or side["mathErrors"]]
    assert not untypeset, f"math left as TeX source or as an error: {', '.join(untypeset)}"
    assert sum(side["indentedLines"] for side in shown) > 0, "no indented line of code was found"


def too_wide(report: dict) -> list[str]:
    """What does not fit on each card side: how wide and where, worst first."""
    found = []
    for side in report["renders"]:
        where = f"{side['label']} {side['side']}"
        screen = side["viewport"]
        widest = max(side["right"], side["scrollWidth"])
        if side["right"] > screen + SLACK or side["scrollWidth"] > screen:
            found.append((widest - screen, (f"{where}: {widest:g} px wide on a {screen} px screen, "
                                            f"widest is {side['culprit']}")))
        for box in side["boxes"]:
            found.append((box["scrollWidth"] - box["clientWidth"],
                          (f"{where}: scrolls sideways, {box['scrollWidth']} px of content in "
                           f"{box['clientWidth']} px: {box['what']}")))
    return [text for _, text in sorted(found, key=lambda entry: -entry[0])]


def lost_indentation(report: dict) -> list[str]:
    """Each wrapped code line whose continuation starts left of its indentation, worst first."""
    found = [(line["short"], (f"{side['label']} {side['side']}: continues {line['short']:g} px "
                              f"left of its indentation: {line['text'].rstrip()!r}"))
             for side in report["renders"] for line in side["indent"]]
    return [text for _, text in sorted(found, key=lambda entry: -entry[0])]


@pytest.mark.parametrize("width", WIDTHS)
def test_every_card_fits_the_screen(reports, cards, width):
    report = reports[width]
    assert_really_shown(report, width, cards)
    found = too_wide(report)
    assert not found, f"{len(found)} card sides do not fit {width} px:\n" + "\n".join(found)


@pytest.mark.parametrize("width", WIDTHS)
def test_wrapped_code_keeps_its_indentation(reports, cards, width):
    report = reports[width]
    assert_really_shown(report, width, cards)
    found = lost_indentation(report)
    assert not found, (f"{len(found)} wrapped code lines lose their indentation at {width} px:\n"
                       + "\n".join(found))


FRONT = "<p>front</p>"
LONG_CALL = "    total = combine(first_argument, second_argument, third_argument, fourth_argument)"
SUM = " + ".join(f"a_{{{n}}}" for n in range(1, 41))
TOO_WIDE = (f'{FRONT}<hr id="answer"><p>Inline: \\(s = {SUM}\\)</p>'
            f'<pre class="code" style="white-space: pre-wrap">def f():\n{LONG_CALL}\n</pre>')
SCROLLS = (f'{FRONT}<hr id="answer"><style>mjx-container[display="true"] {{ overflow-x: auto; }}'
           f'</style><p>Display: \\[s = {SUM}\\]</p>')
FITS = (f'{FRONT}<hr id="answer"><p>Inline: \\(s = a_1 + a_2\\)</p>'
        '<pre class="code" style="white-space: pre-wrap; padding-left: 4ch; text-indent: -4ch">'
        f'{LONG_CALL}</pre>')


def test_the_measuring_catches_a_card_too_wide_for_the_phone(tmp_path):
    """A long inline formula and code wrapped to column 0 are caught; a scroll box is told
    apart from page overflow; a card that fits, with a hanging indent, is not reported."""
    cards = [Card(label, 0, FRONT, answer)
             for label, answer in (("too-wide #1", TOO_WIDE), ("scrolls #1", SCROLLS), ("fits #1", FITS))]
    broken = Card("broken #1", 0, FRONT, r"<p>\(\frace{1+e} + \haty\)</p>")
    full = render([*cards, broken], (360,), tmp_path)[360]
    report = {**full, "renders": [side for side in full["renders"] if side["label"] != "broken #1"]}
    assert_really_shown(report, 360, cards)
    shown = {side["label"]: side for side in report["renders"] if side["side"] == "answer"}
    # TeX that MathJax cannot read (here a lost brace: \frace, \haty) is reported
    (garbled,) = [side for side in full["renders"] if side["label"] == "broken #1"
                  and side["side"] == "answer"]
    assert garbled["mathErrors"] >= 2

    assert shown["too-wide #1"]["right"] > 500 and shown["too-wide #1"]["scrollWidth"] > 500
    assert shown["too-wide #1"]["culprit"].startswith("mjx-container")
    (box,) = shown["scrolls #1"]["boxes"]
    assert box["scrollWidth"] > 500 and box["clientWidth"] == 320
    problems = too_wide(report)
    assert [problem.split(":")[0] for problem in problems] == ["too-wide #1 answer", "scrolls #1 answer"]

    (lost,) = shown["too-wide #1"]["indent"]
    assert lost["text"] == LONG_CALL and lost["visualLines"] > 1 and lost["short"] > 20
    assert shown["fits #1"]["wrappedLines"] == 1 and not shown["fits #1"]["indent"]
    assert lost_indentation(report) == [
        f"too-wide #1 answer: continues {lost['short']:g} px left of its indentation: {LONG_CALL!r}"]
