"""Export printable practice sheets and the self-check on paper: one self-contained HTML file.

What a practice sheet is made of:

* A header (deck title, the date, the sheet's seed, name and score boxes), then the items as
  numbered questions in deck order, with working space sized to the question: a modest box
  beside the question and an answer line for a number, ruled lines for a written answer, the
  starter code plus a few ruled lines for code items (more to write functions than to fix a
  bug). A question is never split across pages.
* Numeric items print a variant drawn from the sheet's seed; code items keep their own
  version (variant 0), whose starter is the point of the exercise. A recall item asks its
  own concept question, a), and when it has practice variants a fresh one as b) under it.
* The answer key (unless `answers="none"`), in two columns: the answer, the worked solution
  and the key insight of the very variants printed, each labelled with its item id and
  variant seed, so `drill show ITEM --seed N` shows it again. A concept question's answer is
  its key points; when a practice part follows it, its long explanation is left to
  `drill show`, so that twelve questions and their key fit on nine A4 pages. The key starts
  on a new page, after its sheet, or in a second file next to the first
  (`answers="separate"`).

The self-check on paper (`selfcheck=True`): the built-in deck's 12 items as
`drill selfcheck --seed N` asks them (drill.selfcheck.questions: numeric items as variant N,
code items with their starter, concept items as their own question, never a practice
variant). The header adds the pass mark and the bands with their advice. Its key starts with
a one-page answer list for quick marking (the number, what to write or fix, or the key
points), then the worked solutions, concept explanations included.

Seeds: sheet k of K (counting from 1) has the seed `seed + k - 1` and prints it, so any sheet
of a bundle is reprinted alone with `--seed` set to the seed it shows. On a practice sheet an
item's variant seed is a hash of (sheet seed, item id): the same item gets the same variant
whatever else is on the sheet. A self-check paper uses its seed as the self-check does.

Printing offline and alike everywhere: the file holds its CSS inline, no scripts, no fonts or
images from elsewhere. Math is typeset to MathML here (latex2mathml); the output is parsed and
only MathML elements survive (anything else falls back to the terminal's Unicode form), so
deck text can never inject markup. Code is highlighted with Pygments (the key's reference
solutions without their docstrings, which the starters already print). Only that math and
that code reach the template marked safe; Jinja2 escapes everything else. The file is a pure
function of its inputs: the same decks, seed and date give the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path

from drill import parts as part_files
from drill import variants as variant_maker
from drill.mathtext import to_terminal
from drill.models import Deck, Item
from drill.render import reference_code

from . import ExportError, select_items

TEMPLATE_FOLDER = Path(__file__).resolve().parent / "templates"
TEMPLATE = "sheet.html.j2"

ANSWER_MODES = ("end", "separate", "none")
MAX_SHEETS = 50
SUFFIXES = (".html", ".htm")
KEY_SUFFIX = "-key"  # sheet.html -> sheet-key.html with answers="separate"
VARIANT_SEEDS = 999_999  # variant seeds run from 1 to this: short enough to copy by hand
NEW_SEEDS = 9_999  # a fresh sheet seed runs from 1 to this: easy to note down

# Working space, by what the question asks for. A rule is 6.5 mm apart: room for handwriting.
NUMERIC_BOX_MM = 24  # modest room to work a number out, above its answer line
CONCEPT_LINES = 5  # ruled lines for a written concept answer: room for the key points
FIX_LINES = 3  # ruled lines to write a fix: a line or two of code
WRITE_LINES_BASE = 2  # ruled lines to write functions: this plus...
WRITE_LINES_PER_FUNCTION = 2  # ...this many per function asked for


class HtmlExporter:
    """Write printable practice sheets or self-check papers (and their keys) to one HTML file."""

    name = "html"
    suffix = ".html"

    @staticmethod
    def check_path(path: str | os.PathLike[str]) -> Path:
        """The output path: an .html file name in a folder that exists."""
        path = Path(path)
        if path.is_dir():
            raise ExportError(f"{path} is a folder; give a file name ending in .html, e.g. sheet.html")
        if path.suffix.lower() not in SUFFIXES:
            raise ExportError(
                f"{path} does not end in .html; browsers print .html files, e.g. sheet.html"
            )
        parent = path.parent
        if not parent.is_dir():
            raise ExportError(f"the folder {parent} does not exist; create it or write elsewhere")
        return path

    @staticmethod
    def new_seed() -> int:
        """A fresh sheet seed (1 to 9999), for when the learner gives none."""
        import secrets

        return 1 + secrets.randbelow(NEW_SEEDS)

    def export(
        self,
        decks: list[Deck],
        path,
        *,
        seed: int,
        sheets: int = 1,
        items: list[str] | None = None,
        answers: str = "end",
        today: date,
        deck_title: str | None = None,
        selfcheck: bool = False,
        database: Path | None = None,
    ) -> dict:
        """Write the sheets; return {"sheets", "questions", "path", "key_path", "seed",
        "pass_mark"}.

        "questions" counts the questions on each sheet; "key_path" is the second file with
        answers="separate", else None; "pass_mark" is the self-check's, else None. With
        `selfcheck`, each sheet is a self-check paper of the built-in deck (which must be
        among `decks`); `items` must then be None. `database` (the learner's drill database)
        is refused as the sheet or the key file, under any name.
        """
        answers = check_answers(answers)
        count = check_sheets(sheets)
        seed = check_seed(seed, count)
        path = self.check_path(path)
        key_path = self.check_path(key_path_for(path)) if answers == "separate" else None
        if database is not None:
            from drill.store import refuse_own_files

            refuse_own_files(database, path, "the sheet")
            if key_path is not None:
                refuse_own_files(database, key_path,
                                 f"the sheet, whose answer key would be {key_path.name}")
        part_files.sweep(path.parent)
        chosen = selfcheck_items(decks, items) if selfcheck else select_items(decks, items)
        if isinstance(today, datetime):
            today = today.date()
        if not isinstance(today, date):
            raise ExportError(f"the sheet's date must be a date, got {today!r}")

        import jinja2

        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATE_FOLDER)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        try:
            template = env.get_template(TEMPLATE)
        except jinja2.TemplateNotFound:
            raise ExportError(
                f"the sheet template {TEMPLATE_FOLDER / TEMPLATE} is missing; reinstall drill"
            ) from None

        title = deck_title if deck_title is not None else default_title(
            [deck for deck, _ in chosen]
        )
        renderer = TextRenderer()
        build = build_selfcheck_paper if selfcheck else build_sheet
        built = [
            build(renderer, chosen, seed + k, number=k + 1, count=count)
            for k in range(count)
        ]
        common = {
            "deck_title": title,
            "date": today.isoformat(),
            "css": _markup(sheet_css()),
            "sheet_count": count,
            "selfcheck": selfcheck,
        }
        if answers == "end":
            parts = [part for sheet in built for part in (("sheet", sheet), ("key", sheet))]
        else:
            parts = [("sheet", sheet) for sheet in built]
        documents = [(path, template.render(parts=parts, doc_kind="sheets", **common))]
        if key_path is not None:
            keys = [("key", sheet) for sheet in built]
            documents.append((key_path, template.render(parts=keys, doc_kind="keys", **common)))
        write_files([(target, text.encode("utf-8")) for target, text in documents])
        return {
            "sheets": count,
            "questions": len(chosen),
            "path": str(path),
            "key_path": str(key_path) if key_path is not None else None,
            "seed": seed,
            "pass_mark": built[0].get("pass_mark"),
        }


# -- checks --------------------------------------------------------------------------------


def check_answers(answers) -> str:
    """Where the answer key goes: "end", "separate" or "none"."""
    if answers not in ANSWER_MODES:
        raise ExportError(
            f"answers must be one of {', '.join(ANSWER_MODES)}, got {answers!r}"
        )
    return answers


def check_sheets(sheets) -> int:
    """The number of sheets: a whole number from 1 to MAX_SHEETS."""
    whole = isinstance(sheets, int) and not isinstance(sheets, bool)
    if not whole or not 1 <= sheets <= MAX_SHEETS:
        raise ExportError(
            f"sheets must be a whole number from 1 to {MAX_SHEETS}, got {sheets!r}; "
            f"ask for {MAX_SHEETS} or fewer"
        )
    return sheets


def check_seed(seed, sheets: int = 1) -> int:
    """The first sheet's seed: a whole number >= 0 that leaves room for every sheet's seed."""
    variant_maker.check_seed(seed)
    if seed + sheets - 1 > variant_maker.MAX_SEED:
        raise ExportError(
            f"seed {seed} leaves no room for {sheets} sheets (sheet k uses seed + k - 1); "
            "choose a smaller seed"
        )
    return seed


def selfcheck_items(decks: list[Deck], items: list[str] | None) -> list[tuple[Deck, Item]]:
    """The self-check's questions come from the built-in deck, all of them, in its order."""
    if items is not None:
        raise ExportError("the self-check asks all 12 items; leave out the item choice, "
                          "or print a practice sheet of chosen items instead")
    builtin = next((deck for deck in decks if deck.builtin), None)
    if builtin is None:
        raise ExportError("the self-check needs the built-in deck, which was not given; "
                          "reinstall drill if it is missing")
    return [(builtin, item) for item in builtin.items]


def key_path_for(path: Path) -> Path:
    """Where the answer key goes with answers="separate": sheet.html -> sheet-key.html."""
    return path.with_name(path.stem + KEY_SUFFIX + path.suffix)


def default_title(decks: list[Deck]) -> str:
    """The sheet's heading: the title of each deck the items come from."""
    titles = list(dict.fromkeys(deck.title for deck in decks))
    return " + ".join(titles) if titles else "Practice sheet"


# -- seeds ---------------------------------------------------------------------------------


def item_seed(sheet_seed: int, item_id: str) -> int:
    """The variant seed of an item on the sheet with `sheet_seed`: 1 to VARIANT_SEEDS, stable."""
    digest = hashlib.sha256(f"drill sheet:{sheet_seed}:{item_id}".encode()).digest()
    return 1 + int.from_bytes(digest[:8], "big") % VARIANT_SEEDS


def variant_seed(item: Item, sheet_seed: int) -> int:
    """The numeric variant printed for `item` (a recall item's b): fresh, or 0 for code items."""
    if item.generator is None or item.kind == "code":
        return 0
    return item_seed(sheet_seed, item.id)


# -- the sheet as data for the template ----------------------------------------------------


def build_sheet(renderer: TextRenderer, chosen: list[tuple[Deck, Item]], seed: int, *,
                number: int, count: int) -> dict:
    """One practice sheet: its seed and its questions, with everything the key needs."""
    questions = [
        build_question(renderer, item, variant_seed(item, seed), position)
        for position, (_, item) in enumerate(chosen, start=1)
    ]
    return {"kind": "practice", "number": number, "count": count, "seed": seed,
            "questions": questions}


def build_question(renderer: TextRenderer, item: Item, seed: int, number: int) -> dict:
    """One numbered question of a practice sheet and its key entry.

    A recall item asks its own concept question; with practice variants, variant `seed`
    follows as part b), so the lesson stays on paper next to the arithmetic.
    """
    if item.kind == "code":
        parts = [code_part(renderer, item)]
    elif item.kind == "recall" and seed > 0:
        # The key gives the concept's key points; its long explanation stays on screen
        # (`drill show`), which keeps a sheet and its key on nine pages.
        parts = [concept_part(renderer, item, explained=False),
                 numeric_part(renderer, variant_maker.make(item, seed))]
    elif item.kind == "recall":
        parts = [concept_part(renderer, item)]
    else:
        parts = [numeric_part(renderer, variant_maker.make(item, seed))]
    return _question(renderer, item, number, parts)


def build_selfcheck_paper(renderer: TextRenderer, chosen: list[tuple[Deck, Item]],
                          seed: int, *, number: int, count: int) -> dict:
    """One self-check paper: the questions `drill selfcheck --seed N` asks, then its key."""
    from drill import selfcheck

    questions = []
    answer_list = []
    for asked in selfcheck.questions([item for _, item in chosen], seed):
        item = asked.item
        if asked.mode == "numeric":
            part = numeric_part(renderer, asked.variant)
        elif asked.mode == "code":
            part = code_part(renderer, item)
        else:
            part = concept_part(renderer, item)
        questions.append(_question(renderer, item, asked.number, [part]))
        answer_list.append({
            "number": asked.number, "item_id": item.id, "title": renderer.inline(item.title),
            "mode": part["mode"], "answer": part["answer"], "points": part["points"],
        })
    bands = [
        {"range": f"{b.low}–{b.high}" if b.low > 0 else f"below {b.high + 1}",
         "label": b.name, "advice": b.advice}
        for b in selfcheck.BANDS
    ]
    return {"kind": "selfcheck", "number": number, "count": count, "seed": seed,
            "questions": questions, "answer_list": answer_list,
            "pass_mark": selfcheck.PASS_MARK, "bands": bands}


def _question(renderer: TextRenderer, item: Item, number: int, parts: list[dict]) -> dict:
    if len(parts) > 1:
        for letter, part in zip("abcdefgh", parts):
            part["letter"] = f"{letter})"
        footer = " · ".join(f"{p['letter']} variant {p['seed']}" for p in parts)
    else:
        footer = f"variant {parts[0]['seed']}"
    reference = reference_code(item) if item.kind == "code" else ""
    return {
        "number": number,
        "item_id": item.id,
        "title": renderer.inline(item.title),
        "task": parts[0]["task"],
        "parts": parts,
        "footer": f"{item.id} · {footer}",
        "reference": code_html(strip_docstrings(reference)) if reference else None,
        "insight": renderer.block(item.insight) if item.insight.strip() else None,
    }


def _part(**fields) -> dict:
    part = {"letter": "", "heading": "", "task": "", "starter": None,
            "answer": None, "points": None}
    part.update(fields)
    return part


def numeric_part(renderer: TextRenderer, variant) -> dict:
    """A question answered with a number: room to work, an answer line; the key's number."""
    return _part(
        mode="numeric", seed=variant.seed, heading="Practice",
        prompt=renderer.block(variant.prompt),
        space={"kind": "box", "height_mm": NUMERIC_BOX_MM, "label": "Working"},
        answer=renderer.block(variant.answer_text),
        solution=renderer.block(variant.solution),
    )


def concept_part(renderer: TextRenderer, item: Item, *, explained: bool = True) -> dict:
    """The item's own concept question, answered in writing; the key gives its key points
    (the model answer when it has none) and, if `explained`, the full explanation."""
    points = [renderer.inline(point) for point in item.checklist] or None
    return _part(
        mode="concept", seed=0, heading="In your own words",
        prompt=renderer.block(item.prompt),
        space={"kind": "lines", "lines": CONCEPT_LINES, "label": "Your answer"},
        answer=None if points else renderer.block(item.answer),
        points=points,
        solution=renderer.block(item.explanation) if explained else None,
    )


def code_part(renderer: TextRenderer, item: Item) -> dict:
    """A code item's own version: the starter and a few ruled lines for the code."""
    fix = item.task == "fix"
    functions = max(1, len(item.functions))
    lines = FIX_LINES if fix else WRITE_LINES_BASE + WRITE_LINES_PER_FUNCTION * functions
    # The task, printed beside the title, introduces the code: it needs no label of its own.
    write = "Write the functions" if functions > 1 else "Write the function"
    return _part(
        mode="code", seed=0,
        task="Find and fix the bug in this code" if fix else f"{write}: complete the starter",
        prompt=renderer.block(item.prompt),
        starter=code_html(item.starter) if item.starter else None,
        space={"kind": "lines", "lines": lines, "label": "Your fix" if fix else "Your code"},
        answer=renderer.block(item.answer),
        solution=renderer.block(item.explanation),
    )


# -- text and math -------------------------------------------------------------------------

_MATH = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", re.S)
_GLUED = re.compile(r"[.,;:!?)\]\u2019'\"]+")  # punctuation that must not start a line


def _segments(text: str) -> list[tuple[str, str]]:
    """Text cut into ("text" | "inline" | "display", content); every formula has text after it."""
    segments = []
    pos = 0
    for match in _MATH.finditer(text):
        segments.append(("text", text[pos:match.start()]))
        if match.group(1) is not None:
            segments.append(("inline", match.group(1)))
        else:
            segments.append(("display", match.group(2)))
        pos = match.end()
    segments.append(("text", text[pos:]))
    return segments

_XMLNS = ' xmlns="http://www.w3.org/1998/Math/MathML"'

# MathML elements and attributes kept from latex2mathml's output; any other element makes the
# formula fall back to Unicode text, any other attribute (href, style, colours) is dropped.
MATHML_ELEMENTS = frozenset({
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup",
    "munder", "mover", "munderover", "mfrac", "msqrt", "mroot", "mtable", "mtr", "mtd",
    "mlabeledtr", "mstyle", "mpadded", "mphantom", "menclose", "merror", "mfenced",
    "mmultiscripts", "mprescripts", "none", "semantics", "annotation",
})
MATHML_ATTRIBUTES = frozenset({
    "display", "mathvariant", "stretchy", "fence", "separator", "form", "lspace", "rspace",
    "width", "height", "depth", "columnalign", "rowalign", "columnspacing", "rowspacing",
    "columnlines", "rowlines", "frame", "linethickness", "accent", "accentunder",
    "movablelimits", "largeop", "symmetric", "minsize", "maxsize", "displaystyle",
    "scriptlevel", "notation", "columnspan", "rowspan", "open", "close", "separators",
    "encoding", "voffset",
})


class TextRenderer:
    """Card text as HTML: prose escaped, LaTeX math as MathML (cached for one export).

    The same texts recur on every sheet of a bundle (titles, code and concept questions,
    their keys), so each text is turned into HTML once per export. `reference=True` does
    without those caches and converts math the slow, plain way (`mathml(reference=True)`):
    the tests hold the fast output to it, byte for byte.
    """

    def __init__(self, *, reference: bool = False) -> None:
        self.reference = reference
        self._cache: dict[tuple[str, bool], str] = {}
        self._blocks_done: dict[str, object] = {}
        self._inline_done: dict[str, object] = {}

    def block(self, text: str):
        """Text as paragraphs (one per line), display math as centred blocks."""
        if self.reference:
            return _markup("".join(self._blocks(text)))
        done = self._blocks_done.get(text)
        if done is None:
            done = self._blocks_done[text] = _markup("".join(self._blocks(text)))
        return done

    def inline(self, text: str):
        """Short text (a title) as inline HTML: lines joined by spaces, math inline."""
        if self.reference:
            return self._inline(text)
        done = self._inline_done.get(text)
        if done is None:
            done = self._inline_done[text] = self._inline(text)
        return done

    def _inline(self, text: str):
        segments = _segments(" ".join(text.split("\n")))
        pieces = []
        for i, (kind, content) in enumerate(segments):
            if kind == "text":
                pieces.append(_escape(content))
            else:
                html, segments[i + 1] = self._inline_math(content, segments[i + 1])
                pieces.append(html)
        return _markup("".join(pieces).strip())

    def _blocks(self, text: str) -> list[str]:
        blocks: list[str] = []
        line: list[str] = []

        def flush() -> None:
            joined = "".join(line).strip()
            if joined:
                blocks.append(f"<p>{joined}</p>")
            line.clear()

        segments = _segments(text.replace("\r\n", "\n").strip())
        for i, (kind, content) in enumerate(segments):
            if kind == "text":
                for k, part in enumerate(content.split("\n")):
                    if k:
                        flush()
                    line.append(_escape(part))
            elif kind == "inline":
                html, segments[i + 1] = self._inline_math(content, segments[i + 1])
                line.append(html)
            else:
                flush()
                blocks.append(f'<div class="display">{self.math(content, display=True)}</div>')
        flush()
        return blocks

    def _inline_math(self, latex: str, following: tuple[str, str]) -> tuple[str, tuple[str, str]]:
        """Inline math, keeping the punctuation just after it on its line ("... = 10." never
        wraps before the full stop); returns the HTML and what is left of the following text."""
        html = self.math(latex, display=False)
        glued = _GLUED.match(following[1])
        if not glued:
            return html, following
        head, _, last = html.rpartition("<wbr>")
        span = f'<span class="nobr">{last}{_escape(glued.group())}</span>'
        return (head + "<wbr>" if head else "") + span, ("text", following[1][glued.end():])

    def math(self, latex: str, *, display: bool) -> str:
        """One formula as MathML, or as escaped Unicode text when it cannot be converted."""
        key = (latex, display)
        if key not in self._cache:
            converted = mathml(latex, display=display, reference=self.reference)
            self._cache[key] = converted or _math_fallback(latex, display)
        return self._cache[key]


def mathml(latex: str, *, display: bool = False, reference: bool = False) -> str | None:
    """LaTeX as sanitised MathML markup, or None when it cannot be converted safely.

    latex2mathml builds an element tree, writes it out and unescapes the text; what that
    text parses back into is the formula. The fast way takes the tree as built when its
    text is plain enough to know what the parser would make of it (`_as_parsed`) and writes
    the result with `_serialize`; anything else, and `reference=True`, goes the plain way,
    through the text: the same bytes either way.
    """
    root = None
    if not reference:
        from latex2mathml.converter import convert_to_element

        try:
            tree = convert_to_element(latex.strip(), display="block" if display else "inline")
        except Exception:  # noqa: BLE001 - latex2mathml raises many kinds of errors on malformed input
            return None
        verdict = _as_parsed(tree)
        if verdict is None:
            return None
        if verdict:
            root = tree
    if root is None:
        root = _via_text(latex, display)
        if root is None or not _sanitise(root):
            return None
    _space_like_tex(root)
    pieces = [root] if display else _break_points(root)
    write = _tostring if reference else _serialize
    # <wbr>: browsers do not wrap inside a formula, so a long one is cut into formulas that
    # can wrap between them, after a relation or a comma, as TeX would break it.
    return "<wbr>".join(write(piece) for piece in pieces)


def _sanitise(root: ET.Element) -> bool:
    """Drop attributes other than MATHML_ATTRIBUTES; False when an element is not MathML."""
    for element in root.iter():
        if element.tag not in MATHML_ELEMENTS:
            return False
        attrib = element.attrib
        if attrib:
            for name in [n for n in attrib if n not in MATHML_ATTRIBUTES]:
                del attrib[name]
    return True


def _via_text(latex: str, display: bool) -> ET.Element | None:
    """The plain way: latex2mathml's text, parsed (None when either step fails)."""
    from latex2mathml.converter import convert

    try:
        raw = convert(latex.strip(), display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - latex2mathml raises many kinds of errors on malformed input
        return None
    try:
        return ET.fromstring(raw.replace(_XMLNS, "", 1))
    except ET.ParseError:
        return None  # e.g. \text{a < b}: latex2mathml leaves text unescaped


# -- the fast way: latex2mathml's tree read as the parser would read its text ---------------

_MATHML_NAMESPACE = "http://www.w3.org/1998/Math/MathML"
_XML_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")
# XML's references: numeric ones, and the five predefined entities.
_XML_REFERENCE = re.compile(r"&(?:#x([0-9a-fA-F]{1,8})|#([0-9]{1,10})|(lt|gt|amp|quot|apos));")
_XML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
# Characters the parser keeps as they are: no markup, no line end it would rewrite, nothing
# XML forbids. Attribute values also leave out the quote and the white space it normalises.
_PLAIN_TEXT = re.compile("[^<&\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]*")
_PLAIN_VALUE = re.compile("[^<&\"\t\n\r\x00-\x1f\ud800-\udfff\ufffe\uffff]*")
_UNSURE = object()


def _xml_char(code: int) -> bool:
    return (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF)


def _plain_name(name) -> bool:
    """True for a tag or attribute name that is letters and digits (no prefix, no oddity)."""
    return type(name) is str and _plain_str_name(name)


@functools.lru_cache(maxsize=512)  # latex2mathml's tags and attribute names: a few dozen
def _plain_str_name(name: str) -> bool:
    return _XML_NAME.fullmatch(name) is not None


@functools.lru_cache(maxsize=4096)  # the same symbols recur in formula after formula
def _parsed(raw: str, attribute: bool):
    """What an XML parser reads from `raw` written verbatim as text (or as an attribute's
    value), or _UNSURE."""
    plain = _PLAIN_VALUE if attribute else _PLAIN_TEXT
    if "]]>" in raw:
        return _UNSURE
    if "&" not in raw:
        return raw if plain.fullmatch(raw) else _UNSURE
    if not plain.fullmatch(_XML_REFERENCE.sub("", raw)):
        return _UNSURE  # an & that starts no reference the parser knows
    pieces = []
    pos = 0
    for match in _XML_REFERENCE.finditer(raw):
        hex_code, decimal, name = match.groups()
        if name:
            char = _XML_ENTITIES[name]
        else:
            code = int(hex_code, 16) if hex_code else int(decimal)
            if not _xml_char(code):
                return _UNSURE
            char = chr(code)
        pieces += [raw[pos:match.start()], char]
        pos = match.end()
    pieces.append(raw[pos:])
    return "".join(pieces)


def _as_parsed(root: ET.Element) -> bool | None:
    """Make latex2mathml's tree what `_via_text` would parse from its text, sanitised as
    `_sanitise` does: True when done, None when an element is not MathML (no formula either
    way), False (the tree then half done) when unsure.

    That text is the tree written out with nothing escaped (latex2mathml unescapes what
    ElementTree escaped), so each text is read as the parser reads it: references such as
    its &#x02212; become characters. Anything less plain is left to the parser.
    """
    attrib = root.attrib
    if (root.tag != "math" or root.tail or next(iter(attrib), None) != "xmlns"
            or attrib["xmlns"] != _MATHML_NAMESPACE):
        return False
    del attrib["xmlns"]  # as `_via_text` cuts it out of the text
    for element in root.iter():
        tag = element.tag
        if type(tag) is not str:
            return False
        if tag not in MATHML_ELEMENTS:
            # A plain name reads back as itself, and is no MathML: the parser's tree would
            # be refused too (or not be made at all).
            return None if _plain_name(tag) else False
        attrib = element.attrib
        if attrib:
            for name, value in list(attrib.items()):
                if name == "xmlns" or not _plain_name(name) or type(value) is not str:
                    return False
                value = _parsed(value, True)
                if value is _UNSURE:
                    return False
                if name in MATHML_ATTRIBUTES:
                    attrib[name] = value
                else:
                    del attrib[name]
        for part in ("text", "tail"):
            value = getattr(element, part)
            if value is None:
                continue
            if type(value) is not str:
                return False
            value = _parsed(value, False) if value else None
            if value is _UNSURE:
                return False
            setattr(element, part, value or None)
    return True


def _tostring(element: ET.Element) -> str:
    return ET.tostring(element, encoding="unicode", short_empty_elements=False)


def _serialize(element: ET.Element) -> str:
    """What `_tostring` gives, sooner, for sanitised MathML (whose tags and attribute names
    are all plain); a value or text it would not write the same way is left to ElementTree."""
    out: list[str] = []
    append = out.append

    def write(element: ET.Element) -> None:
        tag = element.tag
        attrib = element.attrib
        if attrib:
            append("<" + tag + "".join([_written_attribute(name, value)
                                        for name, value in attrib.items()]) + ">")
        else:
            append("<" + tag + ">")
        text = element.text
        if text:
            append(_escape_text(text))
        for child in element:
            write(child)
        append("</" + tag + ">")
        tail = element.tail
        if tail:
            append(_escape_text(tail))

    try:
        write(element)
    except (_NotPlain, TypeError):
        return _tostring(element)
    return "".join(out)


class _NotPlain(Exception):
    pass


@functools.lru_cache(maxsize=1024)
def _written_attribute(name, value) -> str:
    """` name="value"`, for a value ElementTree writes unchanged (else _NotPlain)."""
    if (not _plain_name(name) or type(value) is not str or ">" in value
            or not _PLAIN_VALUE.fullmatch(value)):
        raise _NotPlain
    return f' {name}="{value}"'


def _escape_text(text) -> str:
    """Text as ElementTree writes it (&, < and > escaped)."""
    if type(text) is not str:
        raise _NotPlain
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


_RELATIONS = frozenset({"=", "\u2260", "<", ">", "\u2264", "\u2265", "\u2248", "\u2190",
                        "\u2192", "\u21d2", "\u2261", "\u221d", "\u223c"})
_OPENERS = frozenset({"(", "[", "{", "\u27e8", "\u230a", "\u2308"})
_BREAKABLE_LENGTH = 30  # characters of math text below which a formula stays whole


def _break_points(root: ET.Element) -> list[ET.Element]:
    """An inline formula as one or more formulas, cut after top-level relations and commas.

    Cuts only where nothing stretches across the cut: outside brackets for relations, and
    inside non-stretchy brackets ([1, 2] typed as text) for commas, never in a matrix.
    """
    row = root[0] if len(root) == 1 and root[0].tag == "mrow" else root
    if len("".join(row.itertext())) < _BREAKABLE_LENGTH:
        return [root]
    cuts: list[int] = []
    stack: list[bool] = []  # per open bracket: does it stretch?
    for i, kid in enumerate(row):
        if kid.tag != "mo":
            continue
        text = kid.text or ""
        if text in _OPENERS:
            stack.append(kid.get("stretchy") != "false")
        elif text in _CLOSERS and stack and text not in ("|", "\u2016"):
            stack.pop()
        elif text in _RELATIONS and not stack:
            kid.set("form", "infix")
            kid.set("lspace", "0.2778em")
            kid.set("rspace", "0.2778em")
            cuts.append(i + 1)
        elif text == "," and stack and not any(stack):
            kid.set("rspace", _THIN)
            cuts.append(i + 1)
    kids = list(row)
    cuts = [c for c in cuts if 0 < c < len(kids)]
    if not cuts:
        return [root]
    pieces = []
    for start, end in zip([0, *cuts], [*cuts, len(kids)]):
        math = ET.Element("math", dict(root.attrib))
        ET.SubElement(math, "mrow").extend(kids[start:end])
        pieces.append(math)
    return pieces


# Elements whose children are laid out in a row (the others place theirs by position).
_ROWS = frozenset({"math", "mrow", "mtd", "mstyle", "msqrt", "mpadded", "mphantom",
                   "menclose", "merror"})
# Elements that are an "embellished operator" when their first child is one.
_EMBELLISHING = frozenset({"msub", "msup", "msubsup", "munder", "mover", "munderover"})
_FUNCTION_NAMES = frozenset({"log", "ln", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh",
                             "det", "arg", "lim", "sup", "inf", "Pr", "gcd", "deg", "dim"})
_SIGNS = frozenset({"\u2212", "-", "+", "\u00b1", "\u2213"})
_CLOSERS = frozenset({")", "]", "}", "|", "\u2016", "\u27e9", "\u230b", "\u2309"})
_TIGHT_AFTER = frozenset({"(", "[", "{", ",", ";", ")", "]", "}"})
_THIN = "0.1667em"


def _core(element: ET.Element) -> ET.Element | None:
    """The <mo> at the heart of an (embellished) operator, else None."""
    while element.tag in _EMBELLISHING and len(element):
        element = element[0]
    return element if element.tag == "mo" else None


def _is_name(element: ET.Element | None) -> bool:
    text = (element.text or "") if element is not None else ""
    return len(text) > 1 and text.isalpha()


def _space_like_tex(root: ET.Element) -> None:
    """Fix two places where browsers space latex2mathml's MathML unlike TeX.

    A minus after an operator, a comma or an opening bracket is a sign, not a subtraction:
    [3, -2] and b = -1 must not read "[3, - 2]" and "b = - 1". Named operators (max, log,
    softmax) keep a thin space from their neighbours but none before a bracket: "max(z, 0)",
    "log x", "max_a Q".
    """
    for row in root.iter():
        if row.tag not in _ROWS:
            continue
        kids = list(row)
        for i, kid in enumerate(kids):
            before = _core(kids[i - 1]) if i else None
            after = kids[i + 1] if i + 1 < len(kids) else None
            if kid.tag == "mi" and kid.text in _FUNCTION_NAMES:
                kid.tag = "mo"
            core = _core(kid)
            if core is None:
                continue
            if _is_name(core):
                opens_row = i == 0 or (before is not None and not _is_name(before)
                                       and before.text not in _CLOSERS)
                after_core = _core(after) if after is not None else None
                tight = after is None or (after_core is not None
                                          and after_core.text in _TIGHT_AFTER)
                core.set("lspace", "0" if opens_row else _THIN)
                core.set("rspace", "0" if tight else _THIN)
            elif core is kid and kid.text in _SIGNS and (
                    i == 0 or (before is not None and before.text not in _CLOSERS)):
                kid.set("form", "prefix")
                kid.set("lspace", "0")
                kid.set("rspace", "0")


def _math_fallback(latex: str, display: bool) -> str:
    text = to_terminal(("\\[" if display else "\\(") + latex + ("\\]" if display else "\\)"))
    text = text.strip("\n")
    if "\n" in text or display:
        return f'<span class="math-text grid">{_escape(text)}</span>'
    return f'<span class="math-text">{_escape(text)}</span>'


# -- code ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)  # the same starters and references recur on every sheet
def code_html(code: str):
    """Python code as a highlighted <pre> block (Pygments classes; colours in sheet_css)."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    # Paper is precious: one blank line is as clear as PEP 8's two between functions.
    code = re.sub(r"\n(?:[ \t]*\n){2,}", "\n\n", code.strip("\n"))
    body = highlight(code, PythonLexer(), HtmlFormatter(nowrap=True))
    return _markup(f'<pre class="code"><code>{body.rstrip()}</code></pre>')


@functools.lru_cache(maxsize=256)  # the same references recur on every sheet
def strip_docstrings(code: str) -> str:
    """Python code without its docstrings (the key's references: the starters already have
    them, and paper is precious); the code as it is when it does not parse."""
    import ast

    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    lines = code.splitlines()
    drop: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef,
                                 ast.ClassDef)):
            continue
        body = node.body
        first = body[0] if body else None
        is_doc = (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                  and isinstance(first.value.value, str))
        # A body that is only a docstring keeps it: without it, the code would not parse.
        if is_doc and len(body) > 1 and _own_lines(lines, first):
            drop.update(range(first.lineno, first.end_lineno + 1))
    kept = [line for number, line in enumerate(lines, start=1) if number not in drop]
    text = "\n".join(kept).strip("\n")
    return text if len(kept) == len(lines) else re.sub(r"\n(?:[ \t]*\n){2,}", "\n\n", text)


def _own_lines(lines: list[str], node) -> bool:
    """True when nothing but the node (and a comment) stands on its lines."""
    before = lines[node.lineno - 1][:node.col_offset]
    after = lines[node.end_lineno - 1][node.end_col_offset:].strip()
    return not before.strip() and (not after or after.startswith("#"))


def sheet_css() -> str:
    """Pygments token colours for the code blocks (dark enough to print in greyscale)."""
    from pygments.formatters import HtmlFormatter

    rules = HtmlFormatter(style="default").get_token_style_defs(["pre.code"])
    # Token rules carry /* Comment */ labels; strip them to keep the CSS short.
    return "\n".join(re.sub(r"\s*/\*.*?\*/", "", rule) for rule in rules) + "\n"


# -- output --------------------------------------------------------------------------------


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def _markup(html: str):
    from markupsafe import Markup

    return Markup(html)


def write_files(documents: list[tuple[Path, bytes]]) -> None:
    """Write each file atomically; nothing is replaced unless every file could be made.

    Each file is written to a part file beside it (see drill.parts) and renamed over the
    target. A part file never outlives its writer unless the writer is killed outright
    (SIGKILL, a power cut): the next export into the folder removes it then (not on Windows).
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in documents:
            _stage(path, data, staged)
        # SIGTERM or SIGHUP between two renames would leave a new sheet with an old key: they
        # wait until both are done.
        with part_files.signals_held():
            for tmp_name, path in staged:
                try:
                    os.replace(tmp_name, path)
                except OSError as exc:
                    raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        _remove(staged)  # what is left after a failure; nothing after the renames


def _remove(staged: list[tuple[str, Path]]) -> None:
    with part_files.signals_held():
        for tmp_name, _ in staged:
            Path(tmp_name).unlink(missing_ok=True)


def _stage(path: Path, data: bytes, staged: list[tuple[str, Path]]) -> None:
    # A polite kill waits until the part file is on the list of those to remove.
    with part_files.signals_held():
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=part_files.prefix(),
                                            suffix=path.suffix.lower() + ".part", dir=path.parent)
        except OSError as exc:
            reason = exc.strerror or exc
            raise ExportError(
                f"cannot write in {path.parent}: {reason}; choose a folder you can write to"
            ) from None
        staged.append((tmp_name, path))
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        # mkstemp makes the file private; an export is an ordinary file (umask applies).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_name, 0o666 & ~umask)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
