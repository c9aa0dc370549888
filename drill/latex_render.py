"""Lay out parsed LaTeX math as Unicode text for the terminal.

:func:`render_math` takes the atoms :mod:`drill.latex_parse` reads from math source and builds a
:class:`Box`: lines of text with a baseline row.  Most math comes out as one line (scripts as
Unicode sub/superscripts, fractions as ``a/b``, roots as ``√x``); grids (matrices, cases,
aligned rows) make boxes of several lines, joined side by side on their baselines.  The
spacing and bracketing rules are listed in :mod:`drill.mathtext`, which places the boxes
among the prose of card text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from drill.latex_parse import Atom, Kind, parse

__all__ = ["Box", "display_width", "render_math"]

# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------

_BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "P": "ℙ",
               "E": "𝔼", "1": "𝟙"}

_SUPERSCRIPTS = {
    **dict(zip("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")),
    **dict(zip("abcdefghijklmnoprstuvwxyz", "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ")),
    **dict(zip("ABDEGHIJKLMNOPRTUVW", "ᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ")),
    **dict(zip("βγδθφχ", "ᵝᵞᵟᶿᵠᵡ")),
    "⊤": "ᵀ", "′": "′", "'": "′", "*": "*",
}
_SUBSCRIPTS = {
    **dict(zip("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")),
    **dict(zip("aehijklmnoprstuvx", "ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")),
    **dict(zip("βγρφχ", "ᵦᵧᵨᵩᵪ")),
}
_SCRIPT_CHARS = set(_SUPERSCRIPTS.values()) | set(_SUBSCRIPTS.values())

_WORDY = frozenset({"sym", "num", "word", "op", "frac", "block"})
_OPEN_BRACKETS = "([{⟨⌊⌈"
_CLOSE_BRACKETS = ")]}⟩⌋⌉"
_OPERATOR_CHARS = frozenset("+-=<>/,;:*·×⊙⊗⊕±∓÷∗∘∪∩∧∨∖←→⇐⇒↔⇔↦≤≥≠≈∼≃∝≡∈∉⊂⊆⊃⊇≪≫≔−")


# ---------------------------------------------------------------------------
# Two-dimensional text blocks
# ---------------------------------------------------------------------------

def display_width(line: str) -> int:
    total = 0
    for ch in line:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return total


def _pad(line: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - display_width(line))
    return fill + line if right else line + fill


class Box:
    """Lines of text with a baseline row used for horizontal alignment."""

    __slots__ = ("base", "lines")

    def __init__(self, lines: list[str], base: int = 0) -> None:
        self.lines = lines
        self.base = base

    @property
    def flat(self) -> bool:
        return len(self.lines) == 1

    @property
    def text(self) -> str:
        return self.lines[0]

    @property
    def width(self) -> int:
        return max((display_width(line) for line in self.lines), default=0)


def _line(text: str) -> Box:
    return Box([text], 0)


def _hcat(boxes: list[Box]) -> Box:
    if all(box.flat for box in boxes):
        return _line("".join(box.text for box in boxes))
    above = max(box.base for box in boxes)
    below = max(len(box.lines) - 1 - box.base for box in boxes)
    rows = [""] * (above + below + 1)
    for box in boxes:
        width = box.width
        top = above - box.base
        for r in range(len(rows)):
            k = r - top
            rows[r] += _pad(box.lines[k] if 0 <= k < len(box.lines) else "", width)
    return Box(rows, above)




# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------

def _needs_parens(text: str) -> bool:
    """True when ``text`` has a space or an operator outside brackets."""
    level = 0
    for ch in text:
        if ch in _OPEN_BRACKETS:
            level += 1
        elif ch in _CLOSE_BRACKETS:
            level = max(0, level - 1)
        elif level == 0 and (ch.isspace() or ch in _OPERATOR_CHARS):
            return True
    return False


def _is_bracketed(text: str) -> bool:
    if len(text) < 2 or text[0] not in _OPEN_BRACKETS:
        return False
    level = 0
    for pos, ch in enumerate(text):
        if ch in _OPEN_BRACKETS:
            level += 1
        elif ch in _CLOSE_BRACKETS:
            level -= 1
            if level == 0:
                return pos == len(text) - 1
    return False


def _is_simple(text: str) -> bool:
    """True when ``text`` reads as one factor without brackets."""
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", text):
        return True
    core = [ch for ch in text if not unicodedata.combining(ch) and ch not in _SCRIPT_CHARS]
    return len(core) <= 1 or _is_bracketed(text)


def _scripted(text: str, table: dict[str, str]) -> str | None:
    if all(ch in table for ch in text):
        return "".join(table[ch] for ch in text)
    return None


def _gap(lkind: Kind, rkind: Kind, typed: bool | Literal["soft"], loose: bool) -> bool:
    """Whether one space separates two neighbouring atoms.

    ``typed`` says whether a space was typed between them (``"soft"``: right after a control
    word); ``loose`` whether the left one ends in a spelled-out script or a root (``L_reg``, ``√x``).
    """
    spaced = rkind == "ascii" if typed == "soft" else bool(typed)
    if lkind == "bin" or rkind == "bin":
        return not (lkind == "open" or rkind in ("close", "punct"))
    if lkind == "open" or rkind == "close":
        return False
    if lkind == "op" and rkind in _WORDY:
        return True
    if rkind == "op" and (lkind in _WORDY or lkind == "close"):
        return True
    if lkind in ("frac", "block") and (rkind in _WORDY or rkind == "open"):
        return True
    if rkind in ("frac", "block") and (lkind in _WORDY or lkind == "close"):
        return True
    if (lkind == "dots" and rkind in _WORDY) or (rkind == "dots" and lkind in _WORDY):
        return True
    if loose and rkind in _WORDY:
        return True
    if lkind in ("sym", "num", "close") and rkind in ("sym", "num", "open"):
        return spaced and lkind == rkind == "num"
    return spaced


def _flatten(atoms: list[Atom]) -> list[Atom]:
    out: list[Atom] = []
    for atom in atoms:
        if atom.node == "group" and atom.sub is None and atom.sup is None:
            out.extend(_flatten(atom.items))
        else:
            out.append(atom)
    return out


def _render_list(atoms: list[Atom]) -> Box:
    items: list[tuple[Atom, Box, bool, bool | Literal["soft"]]] = []  # atom, its box, loose, space before
    typed: bool | Literal["soft"] = False
    for atom in _flatten(atoms):
        if atom.kind == "space":
            # A space typed right after a control word is "soft".
            typed = "soft" if atom.extra == "soft" and not typed else True
            continue
        box, loose = _render_atom(atom)
        if box.flat and box.text == "":
            continue
        items.append((atom, box, loose, typed))
        typed = False

    # A fence (| or ‖) opens at its first use and closes at the next one.
    kinds: list[Kind] = []
    is_open: dict[str, bool] = {}
    for atom, box, _, _ in items:
        kind = atom.kind
        if kind == "fence":
            char = box.text[:1] if box.flat else "|"
            kind = "close" if is_open.get(char) else "open"
            is_open[char] = kind == "open"
        kinds.append(kind)

    pieces: list[Box] = []
    for pos, (_, box, _, typed) in enumerate(items):
        if pos and _gap(kinds[pos - 1], kinds[pos], typed, items[pos - 1][2]):
            previous = pieces[-1]
            if not (previous.flat and previous.text.endswith(" ")) \
                    and not (box.flat and box.text.startswith(" ")):
                pieces.append(_line(" "))
        pieces.append(box)
    if not pieces:
        return _line("")
    result = _hcat(pieces)
    if result.flat:
        return _line(result.text.strip())
    return result


def _render_atom(atom: Atom) -> tuple[Box, bool]:
    """The box of ``atom`` with its scripts, and whether it is loose (see :func:`_gap`)."""
    node = atom.node
    loose = False
    if node == "leaf":
        base = _line(atom.text)
    elif node == "group":
        base = _render_list(atom.items)
    elif node == "font":
        base = _render_list(atom.items)
        if atom.extra == "mathbb" and base.flat:
            base = _line("".join(_BLACKBOARD.get(ch, ch) for ch in base.text))
    elif node == "accent":
        base = _render_list(atom.items)
        if base.flat:
            base = _line(_accented(base.text, atom.extra))
    elif node == "frac":
        base = _render_fraction(atom.items, atom.denominator)
    elif node == "sqrt":
        base, loose = _render_root(atom)
    else:
        base = _render_environment(atom.extra, atom.rows)
    if atom.sub is None and atom.sup is None:
        return base, loose
    return _attach_scripts(atom, base)


def _accented(text: str, mark: str) -> str:
    out = []
    for pos, ch in enumerate(text):
        out.append(ch)
        following = text[pos + 1] if pos + 1 < len(text) else ""
        if not ch.isspace() and not (following and unicodedata.combining(following)):
            out.append(mark)
    return "".join(out)


def _render_fraction(numerator: list[Atom], denominator: list[Atom]) -> Box:
    # On one line a fraction is "top/bottom", and "1/2a" or "ab/c" can be read two ways; so
    # each side that is more than one factor gets brackets: 1/(2a), (ab)/c, (-1)/2.  A
    # derivative keeps its usual form: dL/dx, ∂L/∂w₁.
    derivative = _is_differential(denominator) and (
        _is_differential(numerator) or _is_one_factor(numerator))
    parts = []
    for atoms in (numerator, denominator):
        box = _render_list(atoms)
        if box.flat and box.text and not (derivative and _is_differential(atoms)) \
                and not _is_one_factor(atoms):
            box = _line(f"({box.text})")
        parts.append(box)
    return _hcat([parts[0], _line("/"), parts[1]])


def _solid(atoms: list[Atom]) -> list[Atom]:
    return [a for a in _flatten(atoms) if a.kind not in ("space", "hspace")]


def _is_one_factor(atoms: list[Atom]) -> bool:
    """True when ``atoms`` read as one factor on a line: x², w₁, 10, 0.5, λ, (a + b), σ(z).

    Products (2a, ab), sums and signed numbers (-1) are more than one factor.
    """
    solid = _solid(atoms)
    if len(solid) <= 1:
        return not solid or _atom_is_factor(solid[0])
    if _is_enclosed(solid):
        return True  # one bracketed group: already delimited
    # A function applied to a bracketed argument: σ(z), exp(-z), ReLU'(z).
    head, rest = solid[0], solid[1:]
    if head.kind not in ("sym", "word", "op") or not _atom_is_factor(head):
        return False
    while rest and rest[0].node == "leaf" and rest[0].text in ("'", "′") \
            and rest[0].sub is None and rest[0].sup is None:
        rest = rest[1:]
    return bool(rest) and rest[0].kind == "open" and _is_enclosed(rest)


def _is_product(atom: Atom) -> bool:
    """True for a braced group of several factors, like {2a} or {a b}: scripted, it needs brackets."""
    return len(_solid(atom.items)) > 1 and not _atom_is_factor(atom)


def _is_enclosed(solid: list[Atom]) -> bool:
    """True when ``solid`` is one bracketed or fenced group, perhaps with scripts: (a+b), ‖w‖²."""
    first = solid[0]
    if first.sub is not None or first.sup is not None:
        return False
    if first.kind == "fence":
        if first.node != "leaf":
            return False
        for k, atom in enumerate(solid[1:], start=1):
            if atom.kind == "fence" and atom.node == "leaf" and atom.text == first.text:
                return k == len(solid) - 1
        return False
    if first.kind != "open":
        return False
    depth = 0
    for k, atom in enumerate(solid):
        if atom.kind == "open":
            depth += 1
        elif atom.kind == "close":
            depth -= 1
            if depth == 0:
                return k == len(solid) - 1
    return False


def _atom_is_factor(atom: Atom) -> bool:
    if atom.kind in ("frac", "ascii", "bin", "punct", "open", "close", "fence", "dots"):
        return False
    if atom.node == "font":
        inner = _solid(atom.items)
        if inner and all(a.node == "leaf" and a.kind == "sym" and a.text.isalpha()
                         for a in inner):
            return True  # a name such as \mathrm{ReLU}
    if atom.node in ("group", "font", "accent"):
        return _is_one_factor(atom.items)
    if atom.node == "leaf" and atom.kind == "other":
        return len(atom.text) <= 1
    return True  # a symbol, a number, a name, a root, a grid


def _is_differential(atoms: list[Atom]) -> bool:
    """True for d, ∂, dL, ∂w₁, ∂²L: one side of a derivative."""
    solid = _solid(atoms)
    if not solid or len(solid) > 2:
        return False
    first = solid[0]
    if not (first.node == "leaf" and first.kind == "sym" and first.text in ("d", "∂")
            and first.sub is None):
        return False
    return len(solid) == 1 or _atom_is_factor(solid[1])


def _render_root(atom: Atom) -> tuple[Box, bool]:
    radicand = _render_list(atom.items)
    index = atom.extra
    if index in ("", "2"):
        sign = "√"
    elif index == "3":
        sign = "∛"
    elif index == "4":
        sign = "∜"
    else:
        raised = _scripted(index, _SUPERSCRIPTS)
        sign = (raised if raised is not None else f"({index})") + "√"
    if not radicand.flat:
        return _hcat([_line(sign + "("), radicand, _line(")")]), False
    if _is_simple(radicand.text):
        return _line(sign + radicand.text), radicand.text != ""
    return _line(f"{sign}({radicand.text})"), False


def _attach_scripts(atom: Atom, base: Box) -> tuple[Box, bool]:
    """``base`` with the scripts of ``atom``, and whether the result is loose (``Q_target``)."""
    loose = False
    if base.flat and base.text and (
            atom.node in ("frac", "sqrt")
            or (atom.node in ("group", "font", "accent") and (
                _needs_parens(base.text) or _is_product(atom)))):
        base = _line(f"({base.text})")
    scripts: list[tuple[str, Box, str | None]] = []
    for mark, table, atoms in (("_", _SUBSCRIPTS, atom.sub), ("^", _SUPERSCRIPTS, atom.sup)):
        if atoms is not None:
            box = _render_list(atoms)
            wordy = any(a.kind in ("op", "word") for a in _flatten(atoms))
            raised = _scripted(box.text, table) if box.flat and not wordy else None
            scripts.append((mark, box, raised))
    raised_all = [raised for _, _, raised in scripts if raised is not None]
    if len(raised_all) == len(scripts):
        return _hcat([base, _line("".join(raised_all))]), False
    pieces = [base]
    for mark, box, _ in scripts:
        if box.flat and box.text == "":
            continue
        if box.flat and (len(box.text) == 1 or all(
                ch.isalnum() and ch not in _SCRIPT_CHARS for ch in box.text)):
            pieces.append(_line(mark + box.text))
            loose = True
        else:
            pieces.extend([_line(mark + "("), box, _line(")")])
            loose = False
    return _hcat(pieces), loose


_BRACKETS = {
    # name: (one row, top, middle, bottom) for the left side, then the same for the right
    "bmatrix": (("[", "⎡", "⎢", "⎣"), ("]", "⎤", "⎥", "⎦")),
    "pmatrix": (("(", "⎛", "⎜", "⎝"), (")", "⎞", "⎟", "⎠")),
    "vmatrix": (("|", "│", "│", "│"), ("|", "│", "│", "│")),
    "Vmatrix": (("‖", "‖", "‖", "‖"), ("‖", "‖", "‖", "‖")),
}
_MATRIX_LIKE = {"matrix", "smallmatrix", "bmatrix", "pmatrix", "vmatrix",
                "Vmatrix", "Bmatrix", "array", "tabular"}
_ALIGN_LIKE = {"aligned", "align", "align*", "alignat", "alignat*", "split",
               "eqnarray", "eqnarray*", "alignedat"}


def _brace_column(height: int, left: bool) -> list[str]:
    if height == 1:
        return ["{" if left else "}"]
    if height == 2:
        return ["⎰", "⎱"] if left else ["⎱", "⎰"]
    middle = (height - 1) // 2
    column = ["⎪"] * height
    column[0] = "⎧" if left else "⎫"
    column[-1] = "⎩" if left else "⎭"
    column[middle] = "⎨" if left else "⎬"
    return column


def _render_environment(name: str, rows: list[list[list[Atom]]]) -> Box:
    grid = [[_render_list(cell) for cell in row] for row in rows]
    columns = max(len(row) for row in grid)
    for row in grid:
        row.extend(_line("") for _ in range(columns - len(row)))
    widths = [max(row[c].width for row in grid) for c in range(columns)]
    if name in _ALIGN_LIKE:
        separator = " "
        right = [c % 2 == 0 for c in range(columns)]
    elif name in _MATRIX_LIKE:
        separator = "  "
        right = [True] * columns
    else:
        separator = "  "
        right = [False] * columns

    lines: list[str] = []
    for row in grid:
        above = max(box.base for box in row)
        below = max(len(box.lines) - 1 - box.base for box in row)
        for r in range(above + below + 1):
            cells = []
            for c, box in enumerate(row):
                k = r - (above - box.base)
                text = box.lines[k] if 0 <= k < len(box.lines) else ""
                cells.append(_pad(text, widths[c], right[c]))
            lines.append(separator.join(cells))
    height = len(lines)
    base = (height - 1) // 2

    if name in _BRACKETS:
        (one_l, top_l, mid_l, bot_l), (one_r, top_r, mid_r, bot_r) = _BRACKETS[name]
        if height == 1:
            return Box([f"{one_l} {lines[0]} {one_r}"], 0)
        out = []
        for r, line in enumerate(lines):
            if r == 0:
                out.append(top_l + line + top_r)
            elif r == height - 1:
                out.append(bot_l + line + bot_r)
            else:
                out.append(mid_l + line + mid_r)
        return Box(out, base)
    if name in ("Bmatrix", "cases"):
        left_column = _brace_column(height, True)
        if height == 1:
            left_column = ["{ "]
        if name == "cases":
            return Box([b + line for b, line in zip(left_column, lines)], base)
        right_column = _brace_column(height, False)
        if height == 1:
            right_column = [" }"]
        return Box([b + line + e for b, line, e in zip(left_column, lines, right_column)], base)
    return Box(lines, base)


def render_math(source: str) -> Box:
    r"""The math ``source`` (what stands between ``\(`` and ``\)``) laid out as text."""
    return _render_list(parse(source))

