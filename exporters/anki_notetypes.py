"""drill's Anki note types: their fixed ids, fields, templates and CSS.

Anki knows a note type by its id, and its fields and templates by their order. Once
released, a note type keeps its id forever and its fields and templates are only ever
appended to (tests/data/anki/note_types.json holds every released version, and a test holds
these note types against it).
"""

from __future__ import annotations

import re
from functools import lru_cache

# never change: Anki identifies note types by this id
NUMERIC_MODEL_ID = 1748306287
# never change: Anki identifies note types by this id
CODE_MODEL_ID = 1748306313
# never change: Anki identifies note types by this id
RECALL_MODEL_ID = 1748306349

# When the note types' templates and CSS, or the way fields are written as HTML, last
# changed (seconds since the epoch, UTC). Bump it to today's time with such a change.
FORMAT_REVISED = 1795564800  # 2026-11-25T00:00:00Z

MAX_VARIANTS = 20  # variant slots in the numeric note type: fixed with its fields


_META = '<span class="num">{{Number}}</span> {{Title}} <span class="id">{{Id}}</span>'
_HEADER = f'<div class="meta">{_META}</div>'


def _fields(model_id: int, names: list[str]) -> list[dict]:
    return [{"name": name, "id": model_id * 100 + i} for i, name in enumerate(names)]


def _template(model_id: int, ordinal: int, name: str, qfmt: str, afmt: str) -> dict:
    return {"name": name, "id": model_id * 100 + 50 + ordinal, "qfmt": qfmt, "afmt": afmt}


def numeric_model():
    names = ["Id", "Number", "Title"]
    names += [f"Q{i}" for i in range(1, MAX_VARIANTS + 1)]
    names += [f"A{i}" for i in range(1, MAX_VARIANTS + 1)]
    names += ["Insight"]
    templates = []
    for i in range(1, MAX_VARIANTS + 1):
        label = "" if i == 1 else f' <span class="variant">variant {i}</span>'
        qfmt = (
            f'{{{{#Q{i}}}}}<div class="drill numeric"><div class="meta">{_META}{label}</div>'
            f'<div class="prompt">{{{{Q{i}}}}}</div></div>{{{{/Q{i}}}}}'
        )
        afmt = (
            "{{FrontSide}}<hr id=\"answer\"><div class=\"drill numeric\">"
            f'<div class="back">{{{{A{i}}}}}</div>'
            '{{#Insight}}<div class="insight"><b>Key insight</b>{{Insight}}</div>{{/Insight}}</div>'
        )
        templates.append(_template(NUMERIC_MODEL_ID, i - 1, f"Variant {i}", qfmt, afmt))
    model = _model(NUMERIC_MODEL_ID, "drill: numeric", _fields(NUMERIC_MODEL_ID, names), templates)
    # genanki works out each card's required fields by rendering every template once per
    # field (20 x 44 renders, most of an export's time). Slot i needs exactly Qi, so say so;
    # a test checks this equals what genanki would compute.
    model._req = numeric_req()
    return model


def numeric_req() -> list:
    """The numeric note type's required fields: card i is generated when Qi is not empty."""
    first_q = 3  # Id, Number, Title come first
    return [[i, "all", [first_q + i]] for i in range(MAX_VARIANTS)]


def code_model():
    names = ["Id", "Number", "Title", "Task", "Prompt", "StarterLabel", "Starter", "Answer",
             "Reference", "Explanation", "Insight"]
    qfmt = (
        f'<div class="drill code">{_HEADER}<div class="task">{{{{Task}}}}</div>'
        '<div class="prompt">{{Prompt}}</div>'
        '{{#Starter}}<div class="label">{{StarterLabel}}</div>{{Starter}}{{/Starter}}</div>'
    )
    afmt = (
        '{{FrontSide}}<hr id="answer"><div class="drill code">'
        '<div class="back">{{Answer}}</div>'
        '{{#Reference}}<div class="label">Reference solution</div>{{Reference}}{{/Reference}}'
        '<div class="solution">{{Explanation}}</div>'
        '{{#Insight}}<div class="insight"><b>Key insight</b>{{Insight}}</div>{{/Insight}}</div>'
    )
    templates = [_template(CODE_MODEL_ID, 0, "Code", qfmt, afmt)]
    return _model(CODE_MODEL_ID, "drill: code", _fields(CODE_MODEL_ID, names), templates)


def recall_model():
    names = ["Id", "Number", "Title", "Prompt", "Answer", "Explanation", "Insight"]
    qfmt = f'<div class="drill recall">{_HEADER}<div class="prompt">{{{{Prompt}}}}</div></div>'
    afmt = (
        '{{FrontSide}}<hr id="answer"><div class="drill recall">'
        '<div class="back">{{Answer}}</div>'
        '<div class="solution">{{Explanation}}</div>'
        '{{#Insight}}<div class="insight"><b>Key insight</b>{{Insight}}</div>{{/Insight}}</div>'
    )
    templates = [_template(RECALL_MODEL_ID, 0, "Recall", qfmt, afmt)]
    return _model(RECALL_MODEL_ID, "drill: recall", _fields(RECALL_MODEL_ID, names), templates)


def _model(model_id: int, name: str, fields: list[dict], templates: list[dict]):
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
"""


@lru_cache(maxsize=1)
def note_css() -> str:
    """The note types' CSS: layout, colours for day and night, Pygments token colours."""
    from pygments.formatters import HtmlFormatter

    day = HtmlFormatter(style="default").get_token_style_defs([".card pre.code"])
    night = HtmlFormatter(style="monokai").get_token_style_defs(
        [".nightMode pre.code", ".night_mode pre.code"]
    )
    # Token rules carry /* Comment */ labels; strip them to keep the CSS short.
    tokens = [re.sub(r"\s*/\*.*?\*/", "", rule) for rule in (day + night)]
    return _CSS + "\n".join(tokens) + "\n"


# -- genanki subclasses (genanki is imported only when exporting) ----------------------------


@lru_cache(maxsize=1)
def note_class():
    import genanki

    class TimedNote(genanki.Note):
        """A note written with its own modification time instead of the package's."""

        def __init__(self, *args, mod: int, **kwargs):
            super().__init__(*args, **kwargs)
            self.mod = mod

        def write_to_db(self, cursor, timestamp, deck_id, id_gen):
            # genanki stores `timestamp` as notes.mod (and cards.mod); Anki updates a note on
            # import only when that is newer than its own copy.
            super().write_to_db(cursor, self.mod, deck_id, id_gen)

    return TimedNote


@lru_cache(maxsize=1)
def model_class():
    import genanki

    class RevisedModel(genanki.Model):
        """A note type whose modification time is FORMAT_REVISED, not the package's time."""

        def to_json(self, timestamp, deck_id):
            return super().to_json(FORMAT_REVISED, deck_id)

    return RevisedModel
