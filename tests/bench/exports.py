"""Export costs against fair floors measured in the same run, runs paired (A B A B).

    python tests/bench/exports.py

Anki: the floor makes the same variants (the same generators, the same seeds) and writes
them as plain text into a package of the same notes and cards straight with genanki, with
note types of the same shape (drill's 20 variant slots for the items with variants, a plain
type for the rest). The ratio is what drill adds: the HTML, the math laid out for a phone,
highlighted code, stable ids and times.
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
        anki_deck.add_note(genanki.Note(varied_model, [item.id, item.title] + texts + empty))
    genanki.Package(anki_deck).write_to_file(folder / f"raw-{variants}.apkg")


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
    from drill.exporters import anki_math
    from drill.loader import load_builtin

    deck = load_builtin()
    caches = [f for f in vars(anki_math).values() if hasattr(f, "cache_clear")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{'variants':>8} {'drill export':>13} {'floor':>12} {'ratio':>6}")
        for variants in (5, 10, 20):
            def ours_once():
                for cached in caches:  # as in a fresh `drill export anki` process
                    cached.cache_clear()
                AnkiExporter().export([deck], folder / f"d-{variants}.apkg", variants=variants)

            ours, raw = _paired(ours_once, lambda: raw_genanki(folder, deck, variants))
            print(f"{variants:>8} {ours * 1000:>10.1f} ms {raw * 1000:>9.1f} ms {ours / raw:>5.2f}x")
        print(f"\n{'sheets':>8} {'drill export':>13} {'Jinja2 only':>12} {'ratio':>6}")
        for sheets in (10, 25, 50):
            ours, raw = html_sheets(folder, deck, sheets)
            print(f"{sheets:>8} {ours * 1000:>10.1f} ms {raw * 1000:>9.1f} ms {ours / raw:>5.2f}x")


if __name__ == "__main__":
    main()
