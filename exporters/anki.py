"""Export decks to an Anki package (.apkg) that re-imports cleanly.

How a re-import stays safe (Anki matches what it imports against what it has):

* Notes are matched by GUID. Each GUID is `genanki.guid_for("drill", item_id)`: it hangs on
  the item id alone (namespaced so it cannot meet another deck's note), never on field text,
  so fixing a typo updates the note in place and keeps its cards and their scheduling.
* Anki overwrites a note only when the incoming note is newer. A note's modification time is
  when its item's content last changed (`changed_at`, from the database), floored at
  FORMAT_REVISED, plus one second per variant slot beyond the first, so raising `--variants`
  counts as a change and fills the new slots. genanki 0.13 writes every note with the
  package's timestamp (`Note.write_to_db(cursor, timestamp, ...)` puts `int(timestamp)` in
  notes.mod and cards.mod); `_note_class()` overrides that method to pass the note's own time.
* Note-type ids are fixed below, and so are field and template ids (`model id * 100 +
  position`). Once imported, a note type's fields and templates are frozen: if an export's
  note type has other fields or templates than the learner's copy (renamed, reordered, added
  or removed), Anki adds a copy of the note type and reports the notes as conflicting instead
  of updating them. Such a change is a deliberate step: give the note type a new id and name,
  bump FORMAT_REVISED, and tell learners in the release notes that they get new notes.
* The deck id is fixed too, but Anki's importer finds decks by name: BUILTIN_DECK_NAME is
  frozen as well (after a rename, existing cards would stay in the old deck).
* Changing only CSS or template wording: bump FORMAT_REVISED. Note types carry it as their
  modification time (so Anki takes the new styling), and it floors every note's time (so
  field HTML written in a new way reaches notes whose content did not change).
* Never a file named `collection.apkg`: Anki takes that name for a full backup and would
  replace the learner's whole collection with it.

The package is written without the clock: the same decks and times give the same file, byte
for byte.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
import re
import sqlite3
import zipfile
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Callable

from drill import variants as variant_maker
from drill.exporters import ExportError, select_items
from drill.models import Deck, Item
from drill.render import reference_code

# never change: the deck's id in every export (Anki's importer also matches decks by name)
BUILTIN_DECK_ID = 1748306251
# never change: Anki identifies note types by this id
NUMERIC_MODEL_ID = 1748306287
# never change: Anki identifies note types by this id
CODE_MODEL_ID = 1748306313
# never change: Anki identifies note types by this id
RECALL_MODEL_ID = 1748306349

ROOT_DECK = "DL Foundations"
BUILTIN_DECK_NAME = f"{ROOT_DECK}::Self-check"
GUID_NAMESPACE = "drill"

# When the note types' templates and CSS, or the way fields are written as HTML, last
# changed (seconds since the epoch, UTC). Bump it to today's time with such a change.
FORMAT_REVISED = 1795564800  # 2026-11-25T00:00:00Z

MAX_VARIANTS = 20  # variant slots in the numeric note type: fixed with its fields
SEED_RANGE = 1_000_000
PACKAGE_NAME_REFUSED = "collection.apkg"

ProgressFn = Callable[[int, int], None]


class AnkiExporter:
    """Write decks to an Anki .apkg file: one note per item, numeric variants as sibling cards."""

    name = "anki"
    suffix = ".apkg"

    def export(
        self,
        decks: list[Deck],
        path,
        *,
        variants: int = 5,
        items: list[str] | None = None,
        changed_at: dict[str, str] | None = None,
        progress: ProgressFn | None = None,
        database: Path | None = None,
    ) -> dict:
        """Write the decks' items to `path`; return {"notes", "cards", "path"}.

        `database` (the learner's drill database) is refused as `path`, under any name.
        """
        import genanki

        from drill import parts

        path = check_path(path)
        if database is not None:
            from drill.store import refuse_own_files

            refuse_own_files(database, path, "the Anki package")
        parts.sweep(path.parent)
        count = check_variants(variants)
        chosen = select_items(decks, items)
        changed_at = changed_at or {}
        note_class = _note_class()
        models = {
            "numeric": _numeric_model(),
            "code": _code_model(),
            "recall": _recall_model(),
        }

        plan = [
            (deck, item, variant_seeds(item, count) if item.kind == "numeric" else [0])
            for deck, item in chosen
        ]
        total = sum(len(seeds) for _, _, seeds in plan)
        done = 0
        if progress is not None:
            progress(0, total)

        anki_decks: dict[str, genanki.Deck] = {}
        notes = cards = 0
        newest = FORMAT_REVISED
        for deck, item, seeds in plan:
            anki_deck = anki_decks.get(deck.name)
            if anki_deck is None:
                anki_deck = anki_decks[deck.name] = genanki.Deck(
                    deck_id(deck), deck_name(deck), description=deck_description(deck)
                )
            if item.kind == "numeric":
                slots = []
                for seed in seeds:
                    slots.append(_numeric_slot(item, seed))
                    done += 1
                    if progress is not None:
                        progress(done, total)
                values = _numeric_fields(item, slots)
            else:
                values = _code_fields(item) if item.kind == "code" else _recall_fields(item)
                done += 1
                if progress is not None:
                    progress(done, total)
            # one second per extra variant slot: more slots count as a change (see the top)
            mod = note_time(item, changed_at.get(item.id)) + (len(seeds) - 1)
            newest = max(newest, mod)
            note = note_class(
                model=models[item.kind],
                fields=values,
                sort_field=item.id,
                tags=note_tags(item),
                guid=note_guid(item.id),
                due=item.position,
                mod=mod,
            )
            anki_deck.add_note(note)
            notes += 1
            cards += len(seeds)

        _write_package(genanki.Package(list(anki_decks.values())), path, newest)
        return {"notes": notes, "cards": cards, "path": str(path)}


# -- checks --------------------------------------------------------------------------------


def check_path(path) -> Path:
    """The output path, refused when Anki would misread it or its folder is missing."""
    path = Path(path)
    if path.name.lower() == PACKAGE_NAME_REFUSED:
        raise ExportError(
            f"refusing to write {path.name}: Anki imports a file of that name as a full backup "
            "that replaces your collection; choose another name, e.g. dl-foundations.apkg"
        )
    if path.suffix.lower() != ".apkg":
        raise ExportError(
            f"{path} does not end in .apkg; Anki imports .apkg files, e.g. dl-foundations.apkg"
        )
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name ending in .apkg")
    parent = path.parent
    if not parent.is_dir():
        raise ExportError(f"the folder {parent} does not exist; create it or write elsewhere")
    return path


def check_variants(variants) -> int:
    """The number of variants per numeric item: a whole number from 1 to MAX_VARIANTS."""
    whole = isinstance(variants, int) and not isinstance(variants, bool)
    if not whole or not 1 <= variants <= MAX_VARIANTS:
        raise ExportError(
            f"variants must be a whole number from 1 to {MAX_VARIANTS}, got {variants!r}; "
            f"ask for {MAX_VARIANTS} or fewer"
        )
    return variants


# -- identity ------------------------------------------------------------------------------


def note_guid(item_id: str) -> str:
    """The note's GUID: from the item id only, so edits update the note in place."""
    import genanki

    return genanki.guid_for(GUID_NAMESPACE, item_id)


def deck_id(deck: Deck) -> int:
    """The Anki deck id: fixed for the built-in deck, from the deck name for the others."""
    if deck.builtin:
        return BUILTIN_DECK_ID
    digest = hashlib.sha256(f"drill deck:{deck.name}".encode("utf-8")).digest()
    return 1_000_000_000 + int.from_bytes(digest[:8], "big") % 9_000_000_000


def deck_name(deck: Deck) -> str:
    """The Anki deck name: the built-in deck under DL Foundations, others under drill."""
    if deck.builtin:
        return BUILTIN_DECK_NAME
    return f"drill::{deck.title.replace('::', ':')}"


def deck_description(deck: Deck) -> str:
    """The deck's description, with the advice to bury siblings."""
    return (
        f"<p>{html.escape(deck.description)}</p>"
        "<p><b>Turn on burying of siblings</b> (deck options, Burying: bury new siblings and "
        "bury review siblings) so that only one variant of each numeric question shows per "
        "day; the other variants wait for later days.</p>"
        "<p>Exported by drill; re-import a newer export to update the cards in place: "
        "your progress is kept.</p>"
    )


def variant_seeds(item: Item, count: int) -> list[int]:
    """Variant 0, then count - 1 seeds drawn from the item's fixed seed (a stable prefix)."""
    if item.generator is None:
        return [0]
    extra = random.Random(f"anki:{item.id}").sample(range(1, SEED_RANGE), MAX_VARIANTS - 1)
    return [0] + extra[: count - 1]


def note_time(item: Item, changed_at: str | None) -> int:
    """When the item's content last changed (epoch seconds), floored at FORMAT_REVISED.

    Without `changed_at`, a stable time derived from the content: the same content always
    gives the same time, within a day after FORMAT_REVISED (an edit may then land earlier
    and not reach Anki, which is why the CLI passes the database's changed_at).
    """
    if changed_at is None:
        payload = json.dumps(item.content(), sort_keys=True, default=str)
        digest = hashlib.sha256(f"{item.id}\n{payload}".encode("utf-8")).digest()
        return FORMAT_REVISED + int.from_bytes(digest[:4], "big") % 86_400
    try:
        moment = datetime.fromisoformat(changed_at)
    except (TypeError, ValueError):
        raise ExportError(
            f"the change time of {item.id!r} is {changed_at!r}, not an ISO 8601 time "
            "like 2026-11-25T09:00:00+00:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(int(moment.timestamp()), FORMAT_REVISED)


def note_tags(item: Item) -> list[str]:
    """The item's topic tags and its kind, as Anki tags (no spaces)."""
    tags = [tag.replace(" ", "_") for tag in item.tags]
    tags.append(f"kind::{item.kind}")
    return list(dict.fromkeys(tags))


# -- fields --------------------------------------------------------------------------------

_MATH = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", re.S)
_DISPLAY_BREAKS = re.compile(r"(?:<br>)?(\\\[.*?\\\])(?:<br>)?")


def text_html(text: str) -> str:
    """Card text as HTML: escaped, math kept in \\( \\) / \\[ \\] on one line, lines as <br>."""
    text = text.replace("\r\n", "\n").strip()
    pieces = []
    pos = 0
    for match in _MATH.finditer(text):
        pieces.append(html.escape(text[pos:match.start()], quote=False))
        # MathJax reads the math from the DOM, where &lt; is a plain <; a line break would
        # become <br> and break the formula.
        pieces.append(" ".join(html.escape(match.group(0), quote=False).split("\n")))
        pos = match.end()
    pieces.append(html.escape(text[pos:], quote=False))
    joined = "".join(pieces)
    paragraphs = [p.strip() for p in re.split(r"\n[ \t]*\n", joined) if p.strip()]
    lines = ["<br>".join(line.rstrip() for line in p.split("\n")) for p in paragraphs]
    # display math is a block already: a <br> beside it only adds an empty line
    return "".join("<p>" + _DISPLAY_BREAKS.sub(r"\1", line) + "</p>" for line in lines)


def inline_html(text: str) -> str:
    """Short text (an answer value) as inline HTML: like text_html, without paragraphs."""
    return "<br>".join(re.findall(r"<p>(.*?)</p>", text_html(text), flags=re.S))


def code_html(code: str) -> str:
    """Python code as HTML: escaped and highlighted with Pygments classes."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    body = highlight(code.strip("\n"), PythonLexer(), HtmlFormatter(nowrap=True))
    return f'<pre class="code"><code>{body.rstrip()}</code></pre>'


def _numeric_slot(item: Item, seed: int) -> tuple[str, str]:
    variant = variant_maker.make(item, seed)
    question = text_html(variant.prompt)
    answer = (
        f'<div class="answer-line">Answer: <b>{inline_html(variant.answer_text)}</b></div>'
        f'<div class="solution">{text_html(variant.solution)}</div>'
    )
    return question, answer


def _numeric_fields(item: Item, slots: list[tuple[str, str]]) -> list[str]:
    questions = [q for q, _ in slots] + [""] * (MAX_VARIANTS - len(slots))
    answers = [a for _, a in slots] + [""] * (MAX_VARIANTS - len(slots))
    return [item.id, f"{item.position:02d}", html.escape(item.title), *questions, *answers,
            text_html(item.insight)]


def _code_fields(item: Item) -> list[str]:
    task = "Find and fix the bug" if item.task == "fix" else "Write the functions"
    starter_label = "The code with the bug" if item.task == "fix" else "Starter"
    reference = reference_code(item)
    return [
        item.id, f"{item.position:02d}", html.escape(item.title), task,
        text_html(item.prompt),
        starter_label if item.starter else "",
        code_html(item.starter) if item.starter else "",
        text_html(item.answer),
        code_html(reference) if reference else "",
        text_html(item.explanation),
        text_html(item.insight),
    ]


def _recall_fields(item: Item) -> list[str]:
    return [
        item.id, f"{item.position:02d}", html.escape(item.title),
        text_html(item.prompt), text_html(item.answer), text_html(item.explanation),
        text_html(item.insight),
    ]


# -- note types ----------------------------------------------------------------------------
# Field and template order is part of the note types' identity: add nothing in the middle,
# rename nothing (see the module docstring).

_META = '<span class="num">{{Number}}</span> {{Title}} <span class="id">{{Id}}</span>'
_HEADER = f'<div class="meta">{_META}</div>'


def _fields(model_id: int, names: list[str]) -> list[dict]:
    return [{"name": name, "id": model_id * 100 + i} for i, name in enumerate(names)]


def _template(model_id: int, ordinal: int, name: str, qfmt: str, afmt: str) -> dict:
    return {"name": name, "id": model_id * 100 + 50 + ordinal, "qfmt": qfmt, "afmt": afmt}


def _numeric_model():
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


def _code_model():
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


def _recall_model():
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
    return _model_class()(model_id, name, fields=fields, templates=templates, css=note_css(),
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
def _note_class():
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
def _model_class():
    import genanki

    class RevisedModel(genanki.Model):
        """A note type whose modification time is FORMAT_REVISED, not the package's time."""

        def to_json(self, timestamp, deck_id):
            return super().to_json(FORMAT_REVISED, deck_id)

    return RevisedModel


def _write_package(package, path: Path, timestamp: int) -> None:
    """Write the package to `path` atomically, with no clock-dependent bytes.

    genanki's own `Package.write_to_file` leaves its temporary database behind and stamps
    the zip entries with the current time; this writes the same content without either, and
    builds the collection in memory, so that nothing is left in the temporary folder when
    the export is killed.
    """
    import io
    import itertools

    from drill.exporters.html import write_files

    conn = sqlite3.connect(":memory:")
    try:
        # ids count up from the newest change time: stable for the same content
        package.write_to_db(conn.cursor(), timestamp, itertools.count(timestamp * 1000))
        conn.commit()
        collection = conn.serialize()
    finally:
        conn.close()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        _add(out, "collection.anki2", collection)
        _add(out, "media", b"{}")
    write_files([(path, archive.getvalue())])


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)
