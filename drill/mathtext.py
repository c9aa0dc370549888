r"""Render the LaTeX math of card text as plain Unicode for the terminal.

Card text keeps math between ``\( ... \)`` (inline) and ``\[ ... \]``
(display).  :func:`to_terminal` leaves the prose around the math untouched and
rewrites every math segment so that no backslash reaches the learner.

Supported subset
----------------
* Greek letters (``\alpha`` α ... ``\Omega`` Ω), ``\nabla`` ∇, ``\partial`` ∂,
  ``\infty`` ∞.
* Operators and relations: ``\cdot`` ·, ``\times`` ×, ``\odot`` ⊙,
  ``\leftarrow`` ←, ``\rightarrow``/``\to`` →, ``\le(q)`` ≤, ``\ge(q)`` ≥,
  ``\ne(q)`` ≠, ``\approx`` ≈, ``\in`` ∈ and a few more; ``\cdots`` ⋯,
  ``\ldots``/``\dots`` …, ``\|`` ‖, ``\{ \}`` { }.
* Named operators ``\max \min \log \exp \arg`` (and ``\sum`` Σ, ``\prod`` ∏,
  ``\operatorname{...}``).
* Spacing commands: ``\quad`` (two spaces), ``\qquad`` (four), ``\,`` ``\;``
  ``\:`` ``\ `` (one space), ``\!`` (nothing); ``\left``/``\right`` are dropped.
* ``\text \mathrm \mathbf ...{...}`` keep their contents, ``\mathbb{R}`` ℝ;
  accents ``\hat`` x̂, ``\bar`` x̄, ``\tilde`` x̃ (combining characters).
* ``x_1`` x₁, ``x^{2}`` x², ``e^{-x}`` e⁻ˣ when every character has a Unicode
  sub/superscript form and the script holds no word or named operator,
  otherwise ``Q_target`` (letters and digits only) or ``e^(-max)``; a braced
  group of several factors is bracketed first (``{2a}^{-1}`` (2a)⁻¹).
* ``\frac{a}{b}`` a/b, each side parenthesised unless it is one factor (a
  symbol or number with its scripts, a bracketed group, a function of one):
  ``\frac{1}{2a}`` 1/(2a), ``\frac{a+b}{c}`` (a+b)/c, ``\frac{x^2}{2}`` x²/2;
  derivatives keep their form (``\frac{\partial L}{\partial w_1}`` ∂L/∂w₁).
  ``\sqrt{x}`` √x, ``\sqrt{x+1}`` √(x+1).
* ``bmatrix``/``pmatrix``/``vmatrix``/``matrix`` (and, more loosely,
  ``cases``/``aligned``) as aligned grids; math holding a multi-line grid is
  laid out in two dimensions with the grid's middle row (upper middle for an
  even count) as baseline.
* Any other command loses its backslash and keeps its name (``\foo`` -> foo).

Spacing rules inside math
-------------------------
1. Whitespace directly after a control word is swallowed, as in TeX
   (``\lambda w`` -> λw, ``\alpha (x)`` -> α(x)), unless an ASCII operator
   follows (``\alpha = 0.1`` -> α = 0.1).
2. Other whitespace is kept as typed, collapsed to one space
   (``x=[1, -1]`` stays, ``a + b`` stays), except where factors are
   juxtaposed, which means multiplication: symbols, numbers and bracketed
   groups next to each other are written together (``\delta_2 W_2`` -> δ₂W₂,
   ``W_1 x`` -> W₁x, ``2 (p - y)`` -> 2(p - y); two numbers keep their space),
   and nothing is put just inside brackets (``\left( a \right)`` -> (a)).
3. Operators written as commands (``\cdot \odot \leftarrow \le`` ...) always
   get one space on each side (``\alpha\cdot\beta`` -> α · β).
4. A named operator (``\max``, ``\log``, ``\sum`` ...) or an ellipsis
   (``\cdots``, ``\ldots``) is separated by one space from a neighbouring
   symbol (``\gamma \max_a Q`` -> γ maxₐ Q, ``a_1 \cdots a_n`` -> a₁ ⋯ aₙ).
5. An inline fraction or grid is separated by one space from a neighbouring
   factor (``\frac{\lambda}{2}\|w\|^2`` -> λ/2 ‖w‖²), and a symbol with a
   spelled-out script is separated from a following symbol
   (``L_{reg} w`` -> L_reg w).

Layout rules
------------
Display math, and inline math that renders on several lines, is put on its
own lines indented by two spaces: the text before it ends its line, the text
after it starts a new one.  Closing punctuation glued to the math
(``\(...\),``) stays on the math's baseline row.  Lines produced or ended this
way carry no trailing spaces.  Prose outside math is kept as-is, backslashes
included; only a stray closing delimiter ``\)`` or ``\]`` is dropped.  An
unterminated ``\(`` or ``\[`` turns the rest of the text into math.

Wrapping
--------
``to_terminal(text, width=N)`` also wraps the prose to N columns at word
boundaries (never inside a word): an inline formula moves to the next line whole
unless it is wider than a line by itself, a display formula wider than the line
breaks at its spaces with a deeper indent, grids are never cut, and lines
indented by four spaces or more (code) are kept as they are.

Modules
-------
This module finds the math in card text, places it among the prose and wraps;
:mod:`drill.latex_parse` reads math source into a tree of atoms and
:mod:`drill.latex_render` lays that tree out as lines of Unicode text.
"""

from __future__ import annotations

import re

from drill.latex_render import display_width, render_math

__all__ = ["to_terminal", "wrap"]

_CLOSING_PUNCTUATION = re.compile(r"[.,;:!?)\]]+")


# ---------------------------------------------------------------------------
# Whole texts
# ---------------------------------------------------------------------------

def _split(text: str) -> list[list[str]]:
    """Cut ``text`` into ``[kind, content]`` runs: text, inline or display."""
    segments: list[list[str]] = []
    buffer: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c != "\\" or i + 1 >= n:
            buffer.append(c)
            i += 1
            continue
        d = text[i + 1]
        if d in "([":
            if buffer:
                segments.append(["text", "".join(buffer)])
                buffer = []
            closer = ")" if d == "(" else "]"
            start = j = i + 2
            while j < n:
                if text[j] == "\\":
                    if j + 1 < n and text[j + 1] == closer:
                        break
                    j += 2
                else:
                    j += 1
            segments.append(["inline" if d == "(" else "display", text[start:min(j, n)]])
            i = j + 2
        elif d in ")]":
            i += 2  # a closing delimiter without an opening one
        else:
            buffer.append(text[i:i + 2])
            i += 2
    if buffer:
        segments.append(["text", "".join(buffer)])
    return segments


def _end_line(out: str) -> str:
    start = out.rfind("\n") + 1
    if out[start:].strip():
        return out.rstrip(" \t") + "\n"
    return out[:start]


def to_terminal(text: str, width: int | None = None) -> str:
    """Return ``text`` with its LaTeX math rendered as backslash-free Unicode.

    With ``width``, prose is also wrapped to that many columns (see :func:`wrap`); an inline
    formula moves to the next line whole rather than being split, unless it is wider than
    a line on its own, and grids are never cut.
    """
    segments = _split(text)
    out = ""
    after_block = False
    for pos, (kind, content) in enumerate(segments):
        if kind == "text":
            piece = content
        else:
            box = render_math(content)
            if box.flat and (kind == "inline" or box.text == ""):
                piece = box.text if width is None else box.text.replace(" ", _KEEP)
            else:
                lines = list(box.lines)
                following = segments[pos + 1] if pos + 1 < len(segments) else None
                if following is not None and following[0] == "text":
                    match = _CLOSING_PUNCTUATION.match(following[1])
                    if match:
                        lines[box.base] = lines[box.base].rstrip() + match.group()
                        following[1] = following[1][match.end():]
                mark = "" if width is None else (_DISPLAY if box.flat else _GRID)
                out = _end_line(out)
                out += "\n".join((mark + "  " + line).rstrip() for line in lines)
                after_block = True
                continue
        if after_block:
            piece = piece.lstrip(" \t")
            if not piece:
                continue
            if not piece.startswith(("\n", "\r")):
                out += "\n"
            after_block = False
        out += piece
    return out if width is None else _wrap(out, width)


# ---------------------------------------------------------------------------
# Wrapping to the terminal's width
# ---------------------------------------------------------------------------

# Private-use characters that only live inside to_terminal(..., width): a space that
# does not break (inside an inline formula), and the marks of display lines and grids.
_KEEP = "\ue000"
_DISPLAY = "\ue001"
_GRID = "\ue002"
# A list item's marker: its continuation lines hang under the item's text.
_LIST_MARKER = re.compile(r"(?:[-*•✓✗]|[0-9]+[.)])[ ]+(?=\S)")


def wrap(text: str, width: int) -> str:
    """Wrap plain text to ``width`` columns at word boundaries, never inside a word.

    Each line is wrapped on its own.  Continuation lines keep the line's indent and hang
    under a list marker (``- ``, ``• ``, ``1. ``, ``✓ ``); a line indented by four spaces
    or more is taken for code and kept as it is, as is a word longer than a line.
    """
    return _wrap(text, width)


def _wrap(text: str, width: int) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        if line.startswith(_GRID):
            out.append(line[1:].replace(_KEEP, " "))
        elif line.startswith(_DISPLAY):
            # A display formula wider than the line breaks at its spaces, indented further.
            body = line[1:].replace(_KEEP, " ")
            out.extend(_wrap_line(body, width, "    "))
        else:
            body = line.lstrip(" ")
            lead = line[: len(line) - len(body)]
            if len(lead) >= 4 or body.startswith("\t"):
                out.append(line.replace(_KEEP, " "))
                continue
            marker = _LIST_MARKER.match(body)
            out.extend(_wrap_line(line, width, lead + " " * (len(marker.group()) if marker else 0)))
    return "\n".join(out)


def _wrap_line(line: str, width: int, hang: str) -> list[str]:
    if display_width(line.replace(_KEEP, " ")) <= width:
        return [line.replace(_KEEP, " ")]
    body = line.lstrip(" ")
    lead = line[: len(line) - len(body)]
    room = max(1, width - display_width(hang))
    # (space before, word) pairs; a formula wider than a line is split at its own spaces.
    units: list[tuple[str, str]] = []
    before = ""
    for token in re.split(r"( +)", body):
        if token.startswith(" "):
            before = token
            continue
        if not token:
            continue
        if _KEEP in token and display_width(token.replace(_KEEP, " ")) > room:
            parts = re.split(f"({_KEEP}+)", token)
            units.append((before, parts[0]))
            units.extend((parts[k].replace(_KEEP, " "), parts[k + 1])
                         for k in range(1, len(parts) - 1, 2))
        else:
            units.append((before, token.replace(_KEEP, " ")))
        before = ""
    lines: list[str] = []
    current, used, fresh = lead, display_width(lead), True
    for before, word in units:
        size = display_width(word)
        if fresh:
            current, used, fresh = current + word, used + size, False
        elif used + len(before) + size <= width:
            current, used = current + before + word, used + len(before) + size
        else:
            lines.append(current.rstrip())
            current, used = hang + word, display_width(hang) + size
    lines.append(current.rstrip())
    return lines
