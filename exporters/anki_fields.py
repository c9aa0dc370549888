"""The HTML in drill's Anki notes: card text with its math, highlighted code, each note's fields."""

from __future__ import annotations

import html
import re

from drill import variants as variant_maker
from drill.exporters.anki_notetypes import MAX_VARIANTS
from drill.models import Item
from drill.render import reference_code

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


def numeric_slot(item: Item, seed: int) -> tuple[str, str]:
    variant = variant_maker.make(item, seed)
    question = text_html(variant.prompt)
    answer = (
        f'<div class="answer-line">Answer: <b>{inline_html(variant.answer_text)}</b></div>'
        f'<div class="solution">{text_html(variant.solution)}</div>'
    )
    return question, answer


def numeric_fields(item: Item, slots: list[tuple[str, str]]) -> list[str]:
    questions = [q for q, _ in slots] + [""] * (MAX_VARIANTS - len(slots))
    answers = [a for _, a in slots] + [""] * (MAX_VARIANTS - len(slots))
    return [item.id, f"{item.position:02d}", html.escape(item.title), *questions, *answers,
            text_html(item.insight)]


def code_fields(item: Item) -> list[str]:
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


def recall_fields(item: Item) -> list[str]:
    return [
        item.id, f"{item.position:02d}", html.escape(item.title),
        text_html(item.prompt), text_html(item.answer), text_html(item.explanation),
        text_html(item.insight),
    ]
