"""Export costs against fair floors measured in the same run, runs paired (A B A B).

    python tests/bench/exports.py [anki | sheets]

Anki: the floor makes the same variants (the same generators, the same seeds) and writes
them as plain text into a package of the same notes and cards straight with genanki, with
note types of the same shape (drill's 20 variant slots for the items with variants, a plain
type for the rest). The ratio is what drill adds: the HTML, the math laid out for a phone,
highlighted code, stable ids and times.

Printable sheets: the floor renders the same Jinja2 template with the same data and converts
each distinct formula of those sheets once with latex2mathml (the least any export of them
must do); drill's run starts as a fresh process would, with the deck loaded anew and no
cache. The ratio is what drill adds: the variants drawn, the MathML checked and laid out,
the code highlighted.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path


def _paired(ours, floor, runs: int = 7) -> tuple[float, float]:
    """Median seconds of `ours` and `floor`, run alternately so that both see the same noise."""
    a, b = [], []
    for _ in range(runs):
        for fn, times in ((ours, a), (floor, b)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


def raw_genanki(folder: Path, deck, variants: int) -> None:
    """The floor: the same variants made, written as plain text with genanki."""
    from html import escape

    import genanki

    from drill import variants as variant_maker
    from drill.exporters.anki import variant_seeds
    from drill.exporters.anki_notetypes import MAX_VARIANTS

    fields = [{"name": f"F{k}"} for k in range(2 + 2 * MAX_VARIANTS)]
    slots = [{"name": f"C{k}", "qfmt": f"{{{{#F{2 * k + 2}}}}}{{{{F{2 * k + 2}}}}}{{{{/F{2 * k + 2}}}}}",
              "afmt": f"{{{{F{2 * k + 3}}}}}"} for k in range(MAX_VARIANTS)]
    varied_model = genanki.Model(1_000_000_001, "raw varied", fields=fields, templates=slots)
    plain_model = genanki.Model(1_000_000_002, "raw plain", fields=[{"name": "Q"}, {"name": "A"}],
                                templates=[{"name": "Card", "qfmt": "{{Q}}", "afmt": "{{A}}"}])
    anki_deck = genanki.Deck(1_000_000_003, "raw")
    for item in deck.items:
        if item.generator is None:
            anki_deck.add_note(genanki.Note(plain_model, [escape(item.prompt),
                                                           escape(item.explanation)]))
            continue
        texts = []
        for seed in variant_seeds(item, variants):
            made = variant_maker.make(item, seed)
            texts += [escape(made.prompt), escape(made.answer_text + "\n" + made.solution)]
        empty = [""] * (2 * MAX_VARIANTS - len(texts))
        anki_deck.add_note(genanki.Note(varied_model, [item.id, item.title, *texts, *empty]))
    genanki.Package(anki_deck).write_to_file(folder / f"raw-{variants}.apkg")


def sheet_formulas(deck, sheets: int) -> list[tuple[str, bool]]:
    """The distinct formulas (LaTeX, display?) on `sheets` sheets and their keys."""
    from drill.exporters import html

    seen: dict[tuple[str, bool], None] = {}

    class Recorder(html.TextRenderer):
        def math(self, latex: str, *, display: bool) -> str:
            seen[(latex, display)] = None
            return super().math(latex, display=display)

    renderer = Recorder()
    chosen = html.select_items([deck], None)
    for k in range(sheets):
        html.build_sheet(renderer, chosen, SHEET_SEED + k, number=k + 1, count=sheets)
    return list(seen)


def html_sheets(folder: Path, sheets: int) -> tuple[float, float, int]:
    """(drill's whole export, the floor) for `sheets` sheets in seconds, runs paired; and
    the number of distinct formulas.

    drill's run is what `drill export html --sheets N` does after start-up: the built-in deck
    loaded afresh (its generators imported on first use) and no cache left from an earlier
    run. The floor renders the same template with the same data (built beforehand) and
    converts each distinct formula of those sheets once with latex2mathml, and writes the file.
    """
    from datetime import date

    import jinja2
    from latex2mathml.converter import convert

    from drill.exporters import html
    from drill.loader import load_builtin

    def ours():
        html.code_html.cache_clear()  # as in a fresh `drill export html` process
        html.strip_docstrings.cache_clear()
        html.HtmlExporter().export([load_builtin()], folder / f"s-{sheets}.html",
                                   seed=SHEET_SEED, sheets=sheets, today=date(2026, 11, 25))

    deck = load_builtin()
    formulas = sheet_formulas(deck, sheets)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(html.TEMPLATE_FOLDER)),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    template = env.get_template(html.TEMPLATE)
    chosen = html.select_items([deck], None)
    renderer = html.TextRenderer()
    built = [html.build_sheet(renderer, chosen, SHEET_SEED + k, number=k + 1, count=sheets)
             for k in range(sheets)]
    parts = [part for sheet in built for part in (("sheet", sheet), ("key", sheet))]

    def floor():
        for latex, display in formulas:
            convert(latex.strip(), display="block" if display else "inline")
        (folder / f"raw-{sheets}.html").write_text(template.render(
            parts=parts, doc_kind="sheets", deck_title="t", date="2026-11-25",
            css=html._markup(html.sheet_css()), sheet_count=sheets, selfcheck=False),
            encoding="utf-8")

    ours(), floor()  # imports and first-use costs out of the way
    mine, fair = _paired(ours, floor)
    return mine, fair, len(formulas)


SHEET_SEED = 11
SHEETS_TARGET = 1.5


def main(which: str = "") -> None:
    from drill.exporters import anki_math
    from drill.exporters.anki import AnkiExporter
    from drill.loader import load_builtin

    deck = load_builtin()
    caches = [f for f in vars(anki_math).values() if hasattr(f, "cache_clear")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if which in ("", "anki"):
            print(f"{'variants':>8} {'drill export':>13} {'floor':>12} {'ratio':>6}")
            for variants in (5, 10, 20):
                def ours_once(variants=variants):
                    for cached in caches:  # as in a fresh `drill export anki` process
                        cached.cache_clear()
                    AnkiExporter().export([deck], folder / f"d-{variants}.apkg",
                                          variants=variants)

                ours, raw = _paired(ours_once, lambda variants=variants: raw_genanki(folder, deck, variants))
                print(f"{variants:>8} {ours * 1000:>10.1f} ms {raw * 1000:>9.1f} ms "
                      f"{ours / raw:>5.2f}x")
        if which in ("", "sheets"):
            print(f"\n{'sheets':>8} {'drill export':>13} {'floor':>12} {'ratio':>6}  "
                  f"(floor: Jinja2 + latex2mathml once per distinct formula; target "
                  f"<= {SHEETS_TARGET}x)")
            for sheets in (10, 25, 50):
                ours, raw, formulas = html_sheets(folder, sheets)
                print(f"{sheets:>8} {ours * 1000:>10.1f} ms {raw * 1000:>9.1f} ms "
                      f"{ours / raw:>5.2f}x  ({formulas} formulas)")


if __name__ == "__main__":
    import sys

    main(sys.argv[1] if len(sys.argv) > 1 else "")
