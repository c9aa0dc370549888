"""Anki export cost against the raw genanki work it wraps, and its growth with variants.

    python tests/bench/exports.py

The raw baseline builds the same number of notes and cards straight with genanki, with note
types of the same shape (a type with drill's 20 variant slots for the items with variants, a
plain type for the rest) and plain text fields, and writes the package: the ratio is what drill adds (variant
generation, math and code formatting, stable ids).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path


def _median(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def raw_genanki(folder: Path, items: int, numeric: int, variants: int) -> None:
    import genanki

    from drill.exporters.anki_notetypes import MAX_VARIANTS

    fields = [{"name": f"F{k}"} for k in range(2 + 2 * MAX_VARIANTS)]
    slots = [{"name": f"C{k}", "qfmt": f"{{{{#F{2 * k + 2}}}}}{{{{F{2 * k + 2}}}}}{{{{/F{2 * k + 2}}}}}",
              "afmt": f"{{{{F{2 * k + 3}}}}}"} for k in range(MAX_VARIANTS)]
    numeric_model = genanki.Model(1_000_000_001, "raw numeric", fields=fields, templates=slots)
    plain_model = genanki.Model(1_000_000_002, "raw plain", fields=[{"name": "Q"}, {"name": "A"}],
                                templates=[{"name": "Card", "qfmt": "{{Q}}", "afmt": "{{A}}"}])
    deck = genanki.Deck(1_000_000_003, "raw")
    for n in range(items):
        if n < numeric:
            texts = [f"question {k} " * 20 for k in range(2 * variants)]
            empty = [""] * (2 * (MAX_VARIANTS - variants))
            deck.add_note(genanki.Note(numeric_model, [f"id{n}", "title"] + texts + empty))
        else:
            deck.add_note(genanki.Note(plain_model, [f"question {n} " * 20, f"answer {n} " * 40]))
    genanki.Package(deck).write_to_file(folder / f"raw-{variants}.apkg")


def html_sheets(folder: Path, deck, sheets: int) -> tuple[float, float]:
    """(drill's whole export, the Jinja2 rendering alone) for `sheets` sheets, in seconds."""
    from datetime import date

    import jinja2

    from drill.exporters import html

    def ours():
        html.HtmlExporter().export([deck], folder / f"s-{sheets}.html", seed=11, sheets=sheets,
                                   today=date(2026, 11, 25))

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(html.TEMPLATE_FOLDER)),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = env.get_template(html.TEMPLATE)
    chosen = html.select_items([deck], None)
    renderer = html.TextRenderer()
    built = [html.build_sheet(renderer, chosen, 11 + k, number=k + 1, count=sheets)
             for k in range(sheets)]
    parts = [part for sheet in built for part in (("sheet", sheet), ("key", sheet))]

    def raw():
        (folder / f"raw-{sheets}.html").write_text(template.render(
            parts=parts, doc_kind="sheets", deck_title="t", date="2026-11-25",
            css=html.sheet_css(), sheet_count=sheets))

    return _median(ours, runs=3), _median(raw, runs=3)


def main() -> None:
    from drill.exporters.anki import AnkiExporter
    from drill.exporters.anki_math import fit_math
    from drill.loader import load_builtin

    deck = load_builtin()
    # items with variants: numeric items, and concept and code items with numeric practice
    numeric = sum(1 for item in deck.items if item.generator is not None)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{'variants':>8} {'drill export':>13} {'raw genanki':>12} {'ratio':>6}")
        for variants in (5, 10, 20):
            def ours_once():
                fit_math.cache_clear()  # as in a fresh `drill export anki` process
                AnkiExporter().export([deck], folder / f"d-{variants}.apkg", variants=variants)

            ours = _median(ours_once)
            raw = _median(lambda: raw_genanki(folder, len(deck.items), numeric, variants))
            print(f"{variants:>8} {ours * 1000:>10.1f} ms {raw * 1000:>9.1f} ms {ours / raw:>5.2f}x")
        print(f"\n{'sheets':>8} {'drill export':>13} {'Jinja2 only':>12} {'ratio':>6}")
        for sheets in (10, 25, 50):
            ours, raw = html_sheets(folder, deck, sheets)
            print(f"{sheets:>8} {ours * 1000:>10.1f} ms {raw * 1000:>9.1f} ms {ours / raw:>5.2f}x")


if __name__ == "__main__":
    main()
