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
images from elsewhere. Math is typeset to MathML by .mathml (latex2mathml, sanitised: only
MathML survives, anything else falls back to the terminal's Unicode form), so deck text can
never inject markup. Code is highlighted with Pygments (the key's reference
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
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drill import parts as part_files
from drill import variants as variant_maker
from drill.mathtext import to_terminal
from drill.models import Deck, Item, Variant
from drill.plugins import SheetExport, SheetSummary
from drill.render import reference_code

from . import ExportError, select_items
from .mathml import mathml

if TYPE_CHECKING:
    import ast

    from markupsafe import Markup

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
    """Write printable practice sheets or self-check papers (and their keys) to one HTML file.

    Found through the entry point `html`; drill.plugins.SheetExport is what drill expects of it.
    """

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
        path: str | os.PathLike[str],
        *,
        seed: int,
        sheets: int = 1,
        items: list[str] | None = None,
        answers: str = "end",
        today: date,
        deck_title: str | None = None,
        selfcheck: bool = False,
        database: Path | None = None,
    ) -> SheetSummary:
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
            from drill.database import refuse_own_files

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


def check_answers(answers: object) -> str:
    """Where the answer key goes: "end", "separate" or "none"."""
    if not isinstance(answers, str) or answers not in ANSWER_MODES:
        raise ExportError(
            f"answers must be one of {', '.join(ANSWER_MODES)}, got {answers!r}"
        )
    return answers


def check_sheets(sheets: object) -> int:
    """The number of sheets: a whole number from 1 to MAX_SHEETS."""
    if isinstance(sheets, bool) or not isinstance(sheets, int) or not 1 <= sheets <= MAX_SHEETS:
        raise ExportError(
            f"sheets must be a whole number from 1 to {MAX_SHEETS}, got {sheets!r}; "
            f"ask for {MAX_SHEETS} or fewer"
        )
    return sheets


def check_seed(seed: object, sheets: int = 1) -> int:
    """The first sheet's seed: a whole number >= 0 that leaves room for every sheet's seed."""
    first = variant_maker.check_seed(seed)
    if first + sheets - 1 > variant_maker.MAX_SEED:
        raise ExportError(
            f"seed {first} leaves no room for {sheets} sheets (sheet k uses seed + k - 1); "
            "choose a smaller seed"
        )
    return first


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
                number: int, count: int) -> dict[str, Any]:
    """One practice sheet: its seed and its questions, with everything the key needs."""
    questions = [
        build_question(renderer, item, variant_seed(item, seed), position)
        for position, (_, item) in enumerate(chosen, start=1)
    ]
    return {"kind": "practice", "number": number, "count": count, "seed": seed,
            "questions": questions}


def build_question(renderer: TextRenderer, item: Item, seed: int, number: int) -> dict[str, Any]:
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
                          seed: int, *, number: int, count: int) -> dict[str, Any]:
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


def _question(renderer: TextRenderer, item: Item, number: int,
              parts: list[dict[str, Any]]) -> dict[str, Any]:
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


def _part(**fields: Any) -> dict[str, Any]:
    part: dict[str, Any] = {"letter": "", "heading": "", "task": "", "starter": None,
            "answer": None, "points": None}
    part.update(fields)
    return part


def numeric_part(renderer: TextRenderer, variant: Variant) -> dict[str, Any]:
    """A question answered with a number: room to work, an answer line; the key's number."""
    return _part(
        mode="numeric", seed=variant.seed, heading="Practice",
        prompt=renderer.block(variant.prompt),
        space={"kind": "box", "height_mm": NUMERIC_BOX_MM, "label": "Working"},
        answer=renderer.block(variant.answer_text),
        solution=renderer.block(variant.solution),
    )


def concept_part(renderer: TextRenderer, item: Item, *, explained: bool = True) -> dict[str, Any]:
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


def code_part(renderer: TextRenderer, item: Item) -> dict[str, Any]:
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
        self._blocks_done: dict[str, Markup] = {}
        self._inline_done: dict[str, Markup] = {}

    def block(self, text: str) -> Markup:
        """Text as paragraphs (one per line), display math as centred blocks."""
        if self.reference:
            return _markup("".join(self._blocks(text)))
        done = self._blocks_done.get(text)
        if done is None:
            done = self._blocks_done[text] = _markup("".join(self._blocks(text)))
        return done

    def inline(self, text: str) -> Markup:
        """Short text (a title) as inline HTML: lines joined by spaces, math inline."""
        if self.reference:
            return self._inline(text)
        done = self._inline_done.get(text)
        if done is None:
            done = self._inline_done[text] = self._inline(text)
        return done

    def _inline(self, text: str) -> Markup:
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


def _math_fallback(latex: str, display: bool) -> str:
    text = to_terminal(("\\[" if display else "\\(") + latex + ("\\]" if display else "\\)"))
    text = text.strip("\n")
    if "\n" in text or display:
        return f'<span class="math-text grid">{_escape(text)}</span>'
    return f'<span class="math-text">{_escape(text)}</span>'


# -- code ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)  # the same starters and references recur on every sheet
def code_html(code: str) -> Markup:
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
        if is_doc and first is not None and len(body) > 1 and _own_lines(lines, first):
            drop.update(range(first.lineno, _end_line(first) + 1))
    kept = [line for number, line in enumerate(lines, start=1) if number not in drop]
    text = "\n".join(kept).strip("\n")
    return text if len(kept) == len(lines) else re.sub(r"\n(?:[ \t]*\n){2,}", "\n\n", text)


def _own_lines(lines: list[str], node: ast.stmt) -> bool:
    """True when nothing but the node (and a comment) stands on its lines."""
    before = lines[node.lineno - 1][:node.col_offset]
    after = lines[_end_line(node) - 1][node.end_col_offset:].strip()
    return not before.strip() and (not after or after.startswith("#"))


def _end_line(node: ast.stmt) -> int:
    """The node's last line (ast.parse always sets it; a node made by hand may not)."""
    return node.end_lineno if node.end_lineno is not None else node.lineno


def sheet_css() -> str:
    """Pygments token colours for the code blocks (dark enough to print in greyscale)."""
    from pygments.formatters import HtmlFormatter

    # types-Pygments leaves get_token_style_defs unannotated
    rules = HtmlFormatter(style="default").get_token_style_defs(  # type: ignore[no-untyped-call]
        ["pre.code"])
    # Token rules carry /* Comment */ labels; strip them to keep the CSS short.
    return "\n".join(re.sub(r"\s*/\*.*?\*/", "", rule) for rule in rules) + "\n"


# -- output --------------------------------------------------------------------------------


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def _markup(html: str) -> Markup:
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


if TYPE_CHECKING:  # the type checker holds the class to what drill expects of it
    _EXPORTER: type[SheetExport] = HtmlExporter
