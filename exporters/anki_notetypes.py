"""drill's Anki note types: their fixed ids, fields, templates and CSS.

Anki knows a note type by its id, and its fields and templates by their order. Once
released, a note type keeps its id forever and its fields and templates are only ever
appended to (tests/data/anki/note_types.json holds every released version, and a test holds
these note types against it).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from drill.anki_identity import MAX_VARIANTS

# never change: Anki identifies note types by this id
NUMERIC_MODEL_ID = 1748306287
# never change: Anki identifies note types by this id
CODE_MODEL_ID = 1748306313
# never change: Anki identifies note types by this id
RECALL_MODEL_ID = 1748306349

# When the note types' templates or CSS last changed (seconds since the epoch, UTC): the
# earliest time a note type is given. The exporter gives a note type whose templates or CSS
# differ from the previous export the export's time, so that Anki, which updates only newer
# note types (and stamps a merged one with the time of that import), takes the change.
FORMAT_REVISED = 1796342400  # 2026-12-04T00:00:00Z

# genanki ships no type information: its models and notes are Any here.
Model = Any



_META = '<span class="num">{{Number}}</span> {{Title}} <span class="id">{{Id}}</span>'
_HEADER = f'<div class="meta">{_META}</div>'
_INSIGHT = '{{#Insight}}<div class="insight"><b>Key insight</b>{{Insight}}</div>{{/Insight}}'


def _fields(model_id: int, names: list[str]) -> list[dict[str, Any]]:
    return [{"name": name, "id": model_id * 100 + i} for i, name in enumerate(names)]


def _template(model_id: int, ordinal: int, name: str, qfmt: str, afmt: str) -> dict[str, Any]:
    return {"name": name, "id": model_id * 100 + 50 + ordinal, "qfmt": qfmt, "afmt": afmt}


def _variant_templates(model_id: int, first: int, kind: str) -> list[dict[str, Any]]:
    """Templates for variant slots first..MAX_VARIANTS: card i shows Qi, and Ai on the back."""
    templates = []
    for i in range(first, MAX_VARIANTS + 1):
        label = "" if i == 1 else f' <span class="variant">variant {i}</span>'
        qfmt = (
            f'{{{{#Q{i}}}}}<div class="drill {kind}"><div class="meta">{_META}{label}</div>'
            f'<div class="prompt">{{{{Q{i}}}}}</div></div>{{{{/Q{i}}}}}'
        )
        afmt = (
            f'{{{{FrontSide}}}}<hr id="answer"><div class="drill {kind}">'
            f'<div class="back">{{{{A{i}}}}}</div>{_INSIGHT}</div>'
        )
        templates.append(_template(model_id, i - 1, f"Variant {i}", qfmt, afmt))
    return templates


def _variant_names(first: int) -> list[str]:
    return [f"Q{i}" for i in range(first, MAX_VARIANTS + 1)] + [
        f"A{i}" for i in range(first, MAX_VARIANTS + 1)
    ]


def numeric_model() -> Model:
    """Numeric items: variant i is card i (Qi on the front, Ai and the insight on the back)."""
    names = ["Id", "Number", "Title", *_variant_names(1), "Insight"]
    templates = _variant_templates(NUMERIC_MODEL_ID, 1, "numeric")
    model = _model(NUMERIC_MODEL_ID, "drill: numeric", _fields(NUMERIC_MODEL_ID, names), templates)
    model._req = variant_req(names, [0, "all", [names.index("Q1")]])
    return model


def variant_req(names: list[str], first: list[Any]) -> list[list[Any]]:
    """The cards a note gets: card 0 by `first`, variant card i when Qi is not empty.

    genanki works out each card's required fields by rendering every template once per field
    (20 x 49 renders, most of an export's time), so they are given here; a test checks they
    equal what genanki computes.
    """
    return [first] + [[i - 1, "all", [names.index(f"Q{i}")]] for i in range(2, MAX_VARIANTS + 1)]


def code_model() -> Model:
    """Code items: card 1 is the task; cards 2..20 are numeric practice variants (since 0.2)."""
    names = ["Id", "Number", "Title", "Task", "Prompt", "StarterLabel", "Starter", "Answer",
             "Reference", "Explanation", "Insight", *_variant_names(2)]
    qfmt = (
        f'<div class="drill code">{_HEADER}<div class="task">{{{{Task}}}}</div>'
        '<div class="prompt">{{Prompt}}</div>'
        '{{#Starter}}<div class="label">{{StarterLabel}}</div>{{Starter}}{{/Starter}}</div>'
    )
    afmt = (
        '{{FrontSide}}<hr id="answer"><div class="drill code">'
        '<div class="back">{{Answer}}</div>'
        '{{#Reference}}<div class="label">Reference solution</div>{{Reference}}{{/Reference}}'
        f'<div class="solution">{{{{Explanation}}}}</div>{_INSIGHT}</div>'
    )
    shown = ("Id", "Number", "Title", "Task", "Prompt", "Starter")
    return _with_practice(CODE_MODEL_ID, "drill: code", "code", names, qfmt, afmt, shown)


def recall_model() -> Model:
    """Recall items: card 1 is the question; cards 2..20 are numeric practice (since 0.2)."""
    names = ["Id", "Number", "Title", "Prompt", "Answer", "Explanation", "Insight",
             *_variant_names(2)]
    qfmt = f'<div class="drill recall">{_HEADER}<div class="prompt">{{{{Prompt}}}}</div></div>'
    afmt = (
        '{{FrontSide}}<hr id="answer"><div class="drill recall">'
        '<div class="back">{{Answer}}</div>'
        f'<div class="solution">{{{{Explanation}}}}</div>{_INSIGHT}</div>'
    )
    shown = ("Id", "Number", "Title", "Prompt")
    return _with_practice(RECALL_MODEL_ID, "drill: recall", "recall", names, qfmt, afmt, shown)


def _with_practice(model_id: int, name: str, kind: str, names: list[str], qfmt: str, afmt: str,
                   shown: tuple[str, ...]) -> Model:
    """A note type whose first card is the item itself, then practice variant cards 2..20."""
    first = _template(model_id, 0, kind.capitalize(), qfmt, afmt)
    templates = [first, *_variant_templates(model_id, 2, kind)]
    model = _model(model_id, name, _fields(model_id, names), templates)
    model._req = variant_req(names, [0, "any", [names.index(field) for field in shown]])
    return model


def _model(model_id: int, name: str, fields: list[dict[str, Any]],
           templates: list[dict[str, Any]]) -> Model:
    return model_class()(model_id, name, fields=fields, templates=templates, css=note_css(),
                          sort_field_index=0)


_CSS = """\
.card {
  --fg: #1d1d1f; --bg: #fdfdfb; --muted: #6b6b70; --rule: #d9d9de;
  --code-bg: #f5f5f2; --code-border: #e2e2dc; --accent: #1f5fbf; --insight-bg: #eef4ff;
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 18px; line-height: 1.5; text-align: left;
  color: var(--fg); background-color: var(--bg);
}
.card.nightMode, .nightMode .card, .card.night_mode, .night_mode .card {
  --fg: #e6e6e6; --bg: #1e1f22; --muted: #a0a0a8; --rule: #3a3b40;
  --code-bg: #272822; --code-border: #3a3b40; --accent: #8ab4f8; --insight-bg: #23304a;
}
.drill { max-width: 46em; margin: 0 auto; text-align: left; }
.drill p { margin: 0 0 0.6em 0; }
.meta { color: var(--muted); font-size: 0.8em; margin-bottom: 0.6em; }
.meta .num { font-weight: bold; color: var(--accent); }
.meta .id, .meta .variant { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; }
.task, .label { color: var(--muted); font-size: 0.85em; font-weight: bold; margin: 0.8em 0 0.3em 0; }
.answer-line { font-size: 1.1em; margin-bottom: 0.6em; }
.solution { margin-top: 0.6em; }
.insight { background-color: var(--insight-bg); border-left: 3px solid var(--accent);
  padding: 0.4em 0.8em; margin-top: 0.8em; }
.insight b { display: block; font-size: 0.85em; color: var(--accent); }
hr#answer { border: none; border-top: 1px solid var(--rule); }
pre.code {
  white-space: pre-wrap; overflow-wrap: anywhere; text-align: left;
  font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.8em;
  line-height: 1.4; color: var(--fg); background-color: var(--code-bg);
  border: 1px solid var(--code-border); border-radius: 4px; padding: 0.6em 0.8em; margin: 0.3em 0;
}
pre.code code { font-family: inherit; background: none; color: inherit; }
pre.code .ln { display: flex; }
pre.code .ind { flex: none; white-space: pre; }
pre.code .tx { flex: 1 1 auto; min-width: 0; white-space: pre-wrap; overflow-wrap: anywhere;
  padding-left: 2ch; text-indent: -2ch; }
.drill mjx-container[display="true"] { text-align: left !important; max-width: 100%;
  overflow-x: auto; overflow-y: hidden; }
"""


@lru_cache(maxsize=1)
def note_css() -> str:
    """The note types' CSS: layout, colours for day and night, Pygments token colours."""
    from pygments.formatters import HtmlFormatter

    # types-Pygments leaves get_token_style_defs unannotated
    day = HtmlFormatter(style="default").get_token_style_defs(  # type: ignore[no-untyped-call]
        [".card pre.code"])
    night = HtmlFormatter(style="monokai").get_token_style_defs(  # type: ignore[no-untyped-call]
        [".nightMode pre.code", ".night_mode pre.code"]
    )
    # Token rules carry /* Comment */ labels; strip them to keep the CSS short.
    tokens = [re.sub(r"\s*/\*.*?\*/", "", rule) for rule in (day + night)]
    return _CSS + "\n".join(tokens) + "\n"


# -- genanki subclasses (genanki is imported only when exporting) ----------------------------


@lru_cache(maxsize=1)
def note_class() -> type[Any]:
    import genanki

    class TimedNote(genanki.Note):  # type: ignore[misc]  # genanki ships no types
        """A note written with its own modification time instead of the package's."""

        def __init__(self, *args: Any, mod: int, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.mod = mod

        def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
            # genanki stores `timestamp` as notes.mod (and cards.mod); Anki updates a note on
            # import only when that is newer than its own copy.
            super().write_to_db(cursor, self.mod, deck_id, id_gen)

    return TimedNote


@lru_cache(maxsize=1)
def model_class() -> type[Any]:
    import genanki

    class RevisedModel(genanki.Model):  # type: ignore[misc]  # genanki ships no types
        """A note type with a modification time of its own (FORMAT_REVISED unless the
        exporter sets `mod`), not the package's time."""

        mod = FORMAT_REVISED

        def to_json(self, timestamp: float, deck_id: int) -> Any:
            return super().to_json(self.mod, deck_id)

    return RevisedModel
