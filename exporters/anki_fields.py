"""The HTML in drill's Anki notes: card text with its math, highlighted code, each note's fields."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from drill import variants as variant_maker
from drill.anki_identity import MAX_VARIANTS
from drill.models import Item
from drill.render import reference_code

from .anki_math import fit_math

if TYPE_CHECKING:
    from pygments.token import _TokenType

_MATH = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", re.S)
_TRAILING_MARK = re.compile(r"([.,;:])(?=\s|$)")
_DISPLAY_BREAKS = re.compile(r"(?:<br>)?(\\\[.*?\\\])(?:<br>)?")


def text_html(text: str) -> str:
    """Card text as HTML: escaped, lines as <br>, math on one line and laid out to fit a phone
    (a formula too wide for the screen becomes display math, one step per line)."""
    text = text.replace("\r\n", "\n").strip()
    pieces = []
    pos = 0
    for match in _MATH.finditer(text):
        pieces.append(html.escape(text[pos:match.start()], quote=False))
        # MathJax reads the math from the DOM, where &lt; is a plain <; a line break would
        # become <br> and break the formula.
        math = fit_math(match.group(1) if match.group(1) is not None else match.group(2),
                        display=match.group(1) is None)
        pos = match.end()
        mark = _TRAILING_MARK.match(text, pos)
        if mark and math.endswith(r"\end{aligned}\]"):
            # a sentence's full stop or comma goes inside the display, not on a line of its own
            math = math[: -len(r"\end{aligned}\]")] + mark.group(1) + r"\end{aligned}\]"
            pos = mark.end(1)
        pieces.append(html.escape(math, quote=False))
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
    """Python code as HTML, highlighted with Pygments classes, one block per source line.

    Each line's leading spaces sit in a box of their own beside the code, so a line too long
    for a phone wraps under its own first character instead of at the left edge.
    """
    from pygments.lexers import PythonLexer

    lines: list[list[tuple[str, str]]] = [[]]
    for ttype, value in PythonLexer().get_tokens(code.strip("\n")):
        css = _token_class(ttype)
        for k, part in enumerate(value.split("\n")):
            if k:
                lines.append([])
            if part:
                lines[-1].append((css, part))
    while lines and not "".join(part for _, part in lines[-1]).strip():
        lines.pop()
    return '<pre class="code"><code>' + "".join(map(_code_line, lines)) + "</code></pre>"


def _code_line(pieces: list[tuple[str, str]]) -> str:
    """One source line: its indentation, then its highlighted code."""
    text = "".join(part for _, part in pieces)
    indent = len(text) - len(text.lstrip(" "))
    body = []
    skip = indent
    for css, part in pieces:
        cut = min(skip, len(part) - len(part.lstrip(" ")))
        part, skip = part[cut:], skip - cut
        if part:
            escaped = html.escape(part, quote=False)
            body.append(f'<span class="{css}">{escaped}</span>' if css else escaped)
    return (f'<span class="ln"><span class="ind">{" " * indent}</span>'
            f'<span class="tx">{"".join(body) or " "}</span></span>')


def _token_class(ttype: _TokenType) -> str:
    """Pygments' short CSS class for a token type ("" for plain text and whitespace)."""
    from pygments.token import STANDARD_TYPES

    while ttype not in STANDARD_TYPES:
        parent = ttype.parent
        if parent is None:  # not under Token, the root every lexer's types descend from
            return ""
        ttype = parent
    return "" if STANDARD_TYPES[ttype] in ("", "w") else STANDARD_TYPES[ttype]


def variant_slot(item: Item, seed: int) -> tuple[str, str]:
    """The front and back of one variant card: a numeric variant with its worked solution."""
    variant = variant_maker.make(item, seed)
    question = text_html(variant.prompt)
    answer = (
        f'<div class="answer-line">Answer: <b>{inline_html(variant.answer_text)}</b></div>'
        f'<div class="solution">{text_html(variant.solution)}</div>'
    )
    return question, answer


def _slot_fields(slots: list[tuple[str, str]], first: int) -> list[str]:
    """Qfirst..Q20 then Afirst..A20 from the filled slots, empty after them."""
    empty = [""] * (MAX_VARIANTS - first + 1 - len(slots))
    return [q for q, _ in slots] + empty + [a for _, a in slots] + empty


def numeric_fields(item: Item, slots: list[tuple[str, str]]) -> list[str]:
    """Id, Number, Title, Q1..Q20, A1..A20, Insight: slot i is variant card i."""
    return [item.id, f"{item.position:02d}", html.escape(item.title), *_slot_fields(slots, 1),
            text_html(item.insight)]


def code_fields(item: Item, practice: list[tuple[str, str]]) -> list[str]:
    """The code task's fields, then Q2..Q20 and A2..A20 for its numeric practice cards."""
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
        *_slot_fields(practice, 2),
    ]


def recall_fields(item: Item, practice: list[tuple[str, str]]) -> list[str]:
    """The question's fields, then Q2..Q20 and A2..A20 for its numeric practice cards."""
    return [
        item.id, f"{item.position:02d}", html.escape(item.title),
        text_html(item.prompt), text_html(item.answer), text_html(item.explanation),
        text_html(item.insight), *_slot_fields(practice, 2),
    ]
