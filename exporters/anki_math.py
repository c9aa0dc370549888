"""Math laid out for a phone screen: one step per line when a formula is too wide for it.

MathJax, which Anki and AnkiDroid use, never breaks a formula across lines: a worked step
such as `z_1 = W_1 x + b_1 = [...] = [-2, 2]` written inline runs off a 360 px screen and
takes the result with it. `fit_math` estimates how wide a formula renders (in em of the
card's font, from the widths of TeX's own symbols) and, when it is too wide, writes it as
display math with one step per line, aligned on the relation signs, breaking a step that is
still too wide after a comma or before a plus or minus sign. Groups, fractions, `\\left ...
\\right` pairs and environments such as matrices are never broken; a piece that cannot fit
is left to the card's CSS, which lets display math scroll on its own as a last resort.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# The widths a card can give math, in em of TeX's fonts: a 360 px screen less the reviewer's
# margins leaves 320 px, 17.8 em of the card's 18 px font; MathJax scales math up to match the
# text's x-height (about 1.2x for the sans-serif fonts of phones), so about 14.5 em of TeX.
# A formula inside a line of text gets less, leaving room for the words around it.
INLINE_EM = 12.0
DISPLAY_EM = 14.0

_RELATIONS = {"=", "<", ">", r"\approx", r"\leftarrow", r"\gets", r"\to", r"\rightarrow",
              r"\le", r"\leq", r"\ge", r"\geq", r"\ne", r"\neq", r"\equiv", r"\Rightarrow"}
_BINARY = {"+", "-", r"\times", r"\cdot", r"\pm", r"\div"}
_OPENING = {"(", "[", r"\{", r"\lbrack", r"\langle", "|"}
_CLOSING = {")", "]", r"\}", r"\rbrack", r"\rangle"}
_SPACES = {r"\,": 0.17, r"\:": 0.22, r"\;": 0.28, r"\!": -0.17, r"\ ": 0.33, "~": 0.33,
           r"\quad": 1.0, r"\qquad": 2.0}
_WIDE_SYMBOLS = {r"\sum": 1.05, r"\prod": 0.95, r"\int": 0.6, r"\nabla": 0.83, r"\partial": 0.57,
                 r"\infty": 1.0, r"\cdots": 1.2, r"\ldots": 1.2, r"\dots": 1.2, r"\|": 0.5,
                 r"\lambda": 0.58, r"\alpha": 0.64, r"\gamma": 0.55, r"\eta": 0.5,
                 r"\theta": 0.47, r"\sigma": 0.57, r"\delta": 0.45, r"\epsilon": 0.47,
                 r"\mu": 0.6, r"\pi": 0.57, r"\tau": 0.52, r"\phi": 0.6, r"\rho": 0.52,
                 r"\beta": 0.57, r"\omega": 0.62, r"\Delta": 0.83, r"\odot": 0.78}
_FUNCTIONS = {r"\exp", r"\log", r"\ln", r"\max", r"\min", r"\sum", r"\tanh", r"\sin", r"\cos",
              r"\arg", r"\argmax", r"\det"}
_TEXT_COMMANDS = {r"\text", r"\mathrm", r"\textrm", r"\operatorname", r"\mathbf", r"\mathit",
                  r"\boldsymbol", r"\mathcal", r"\mathbb"}
_ACCENTS = {r"\hat", r"\bar", r"\tilde", r"\vec", r"\dot", r"\overline", r"\widehat"}
# how many arguments a command takes, for those that take any
_ARGUMENTS = {**dict.fromkeys(_TEXT_COMMANDS | _ACCENTS | {r"\sqrt"}, 1),
              r"\frac": 2, r"\dfrac": 2, r"\tfrac": 2}
_SCRIPT = 0.71  # MathJax's scale for sub- and superscripts
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\s+|.", re.S)
_ENDS_IN_COMMAND = re.compile(r"\\[A-Za-z]+$")


@dataclass(slots=True)
class _Atom:
    """One unbreakable piece of a formula: its TeX, its width in em, and its role."""

    tex: str
    width: float
    role: str = "ord"  # ord, rel, bin, open, close, punct, space


@lru_cache(maxsize=8192)
def fit_math(tex: str, display: bool) -> str:
    """The formula with its delimiters, inline when it fits, else one step per line."""
    tex = " ".join(tex.split())
    if len(tex) * 1.34 <= INLINE_EM:  # no TeX source is narrower than its rendering
        return rf"\[{tex}\]" if display else rf"\({tex}\)"
    atoms = _parse(_TOKEN.findall(tex))
    limit = DISPLAY_EM if display else INLINE_EM
    if sum(a.width for a in atoms) <= limit:
        return rf"\[{tex}\]" if display else rf"\({tex}\)"
    return r"\[\begin{aligned}" + r" \\ ".join(_lines(atoms)) + r"\end{aligned}\]"


@lru_cache(maxsize=4096)
def width(tex: str) -> float:
    """How wide `tex` renders, in em, as inline math."""
    return sum(a.width for a in _parse(_TOKEN.findall(" ".join(tex.split()))))


# -- laying out --------------------------------------------------------------------------------


def _lines(atoms: list[_Atom]) -> list[str]:
    """Rows of an aligned block: `lhs &= step`, then `&= step` for each further step."""
    steps: list[list[_Atom]] = [[]]
    for atom in atoms:
        if atom.role == "rel" and steps[-1]:
            steps.append([])
        steps[-1].append(atom)
    lhs, rest = steps[0], steps[1:]
    lhs_width = sum(a.width for a in lhs)
    rows: list[str] = []
    if not rest or lhs_width > DISPLAY_EM / 3:
        # a long left side, or no relation at all: every step starts its own row
        for step in steps:
            rows += ["&" + piece for piece in _wrap(step, DISPLAY_EM)]
        return rows
    room = DISPLAY_EM - lhs_width
    for i, step in enumerate(rest):
        pieces = _wrap(step, room)
        first = ("" if i else _join(lhs)) + " &" + pieces[0]
        rows += [first] + ["&" + piece for piece in pieces[1:]]
    return rows


def _wrap(step: list[_Atom], room: float) -> list[str]:
    """A step as pieces no wider than `room` where breaks allow, later ones indented a quad.

    A piece ends after a comma of the outermost bracket or before a plus or minus outside
    brackets, else before a plus or minus inside the outermost bracket.
    """
    pieces: list[list[_Atom]] = [[]]
    used = 0.0
    depth = 0
    breaks: dict[int, int] = {}  # position in the current piece -> how good a break it is
    for atom in step:
        current = pieces[-1]
        if atom.role == "close":
            depth = max(depth - 1, 0)
        if current and atom.role == "bin" and atom.tex in ("+", "-") and depth <= 1:
            breaks[len(current)] = 2 if depth == 0 else 1
        current.append(atom)
        used += atom.width
        if atom.role == "open":
            depth += 1
        if atom.role == "punct" and depth <= 1:
            breaks[len(current)] = 2
        indent = 1.0 if len(pieces) > 1 else 0.0
        if used + indent <= room:
            continue
        usable = {at: rank for at, rank in breaks.items() if 0 < at < len(current)}
        if usable:
            best = max(usable.values())
            at = max(position for position, rank in usable.items() if rank == best)
            head, tail = current[:at], current[at:]
            pieces[-1] = head
            pieces.append(tail)
            used = sum(a.width for a in tail)
            breaks = {position - at: rank for position, rank in breaks.items() if position > at}
    first, *others = pieces
    return [_join(first)] + [r"\quad " + _join(piece) for piece in others]


def _join(atoms: list[_Atom]) -> str:
    """The atoms' TeX, spaced around relations and operators and after command names."""
    out: list[str] = []
    before = None
    for atom in atoms:
        spaced = atom.role in ("rel", "bin") or (
            before is not None and _ENDS_IN_COMMAND.search(before.tex))
        if out and spaced and out[-1] != " ":
            out.append(" ")
        out.append(atom.tex)
        if atom.role in ("rel", "bin", "punct"):
            out.append(" ")
        before = atom
    return "".join(out).strip()


# -- measuring ---------------------------------------------------------------------------------


def _parse(tokens: list[str]) -> list[_Atom]:
    """Atoms of a token list: groups, fractions, scripts and environments kept whole, each
    atom's TeX exactly as written."""
    atoms: list[_Atom] = []
    pos = 0
    while pos < len(tokens):
        start = pos
        token = tokens[pos]
        pos += 1
        if token.isspace():
            continue
        if token in ("_", "^") and atoms:
            script, pos = _argument(tokens, pos)
            base = atoms[-1]
            atoms[-1] = _Atom(base.tex + "".join(tokens[start:pos]),
                              base.width + _SCRIPT * _measure(script), base.role)
            continue
        if token == "{":
            inner, pos = _group(tokens, pos)
            width_em = _measure(inner)
        elif token in (r"\frac", r"\dfrac", r"\tfrac"):
            top, pos = _argument(tokens, pos)
            bottom, pos = _argument(tokens, pos)
            scale = 1.0 if token == r"\dfrac" else _SCRIPT
            width_em = scale * max(_measure(top), _measure(bottom)) + 0.24
        elif token == r"\sqrt":
            inner, pos = _argument(tokens, pos)
            width_em = _measure(inner) + 0.85
        elif token in _TEXT_COMMANDS:
            inner, pos = _argument(tokens, pos)
            per_char = 0.58 if token in (r"\mathbf", r"\boldsymbol") else 0.5
            width_em = per_char * len("".join(inner).replace("\\", ""))
        elif token in _ACCENTS:
            inner, pos = _argument(tokens, pos)
            width_em = _measure(inner)
        elif token == r"\begin":
            body, pos = _environment(tokens, pos)
            width_em = _environment_width(body)
        elif token == r"\left":
            body, pos = _left_right(tokens, pos)
            width_em = _measure(body[:-2]) + 0.8
        else:
            atoms.append(_symbol(token, atoms[-1] if atoms else None))
            continue
        atoms.append(_Atom("".join(tokens[start:pos]).strip(), width_em))
    return atoms


def _symbol(token: str, before: _Atom | None) -> _Atom:
    if token in ("+", "-"):
        unary = before is None or before.role in ("rel", "bin", "open", "punct")
        return _Atom(token, 0.78, "ord") if unary else _Atom(token, 1.22, "bin")
    return _Atom(token, *_plain_symbol(token))


@lru_cache(maxsize=1024)
def _plain_symbol(token: str) -> tuple[float, str]:
    """A token's width and role, for every token but a plus or minus sign."""
    if token in _SPACES:
        return _SPACES[token], "space"
    if token in _RELATIONS:
        return 1.34, "rel"
    if token in _BINARY:
        return (0.72 if token == r"\cdot" else 1.22), "bin"
    if token in _OPENING:
        return 0.39, "open"
    if token in _CLOSING:
        return 0.39, "close"
    if token in (",", ";"):
        return 0.45, "punct"
    if token in _WIDE_SYMBOLS:
        return _WIDE_SYMBOLS[token], "ord"
    if token in _FUNCTIONS:
        return 0.5 * (len(token) - 1) + 0.17, "ord"
    if token.startswith("\\"):
        return 0.8, "ord"
    if token.isdigit() or token == ".":
        return 0.5 if token != "." else 0.28, "ord"
    if token.isupper():
        return 0.72, "ord"
    return 0.55, "ord"


def _measure(tokens: list[str]) -> float:
    return _measure_tuple(tuple(tokens))


@lru_cache(maxsize=4096)
def _measure_tuple(tokens: tuple[str, ...]) -> float:
    return sum(a.width for a in _parse(list(tokens)))


def _argument(tokens: list[str], pos: int) -> tuple[list[str], int]:
    """The next argument: a braced group's tokens, a command with its own arguments (as in
    `x^\\text{T}`), or a single token."""
    while pos < len(tokens) and tokens[pos].isspace():
        pos += 1
    if pos >= len(tokens):
        return [], pos
    if tokens[pos] == "{":
        return _group(tokens, pos + 1)
    start = pos
    takes = _ARGUMENTS.get(tokens[pos], 0)
    pos += 1
    for _ in range(takes):
        _, pos = _argument(tokens, pos)
    return tokens[start:pos], pos


def _group(tokens: list[str], pos: int) -> tuple[list[str], int]:
    """The tokens up to the brace that closes a group opened just before `pos`."""
    depth = 1
    start = pos
    while pos < len(tokens):
        if tokens[pos] == "{":
            depth += 1
        elif tokens[pos] == "}":
            depth -= 1
            if depth == 0:
                return tokens[start:pos], pos + 1
        pos += 1
    return tokens[start:], pos


def _environment(tokens: list[str], pos: int) -> tuple[list[str], int]:
    """An environment's body (after `\\begin`) and the position after its `\\end{...}`."""
    _, pos = _argument(tokens, pos)  # its name
    depth = 1
    start = pos
    while pos < len(tokens):
        if tokens[pos] in (r"\begin", r"\end"):
            depth += 1 if tokens[pos] == r"\begin" else -1
            if depth == 0:
                body = tokens[start:pos]
                _, pos = _argument(tokens, pos + 1)
                return body, pos
        pos += 1
    return tokens[start:], pos


def _environment_width(body: list[str]) -> float:
    """A matrix-like body: the widest cell of each column, a gap between columns, brackets."""
    rows = "".join(body).split(r"\\")
    columns: list[float] = []
    for row in rows:
        for i, cell in enumerate(row.split("&")):
            cell_width = width(cell)
            if i < len(columns):
                columns[i] = max(columns[i], cell_width)
            else:
                columns.append(cell_width)
    return sum(columns) + 1.0 * max(len(columns) - 1, 0) + 0.9


def _left_right(tokens: list[str], pos: int) -> tuple[list[str], int]:
    """Tokens from after `\\left` to the delimiter after its matching `\\right`."""
    depth = 1
    start = pos
    while pos < len(tokens):
        if tokens[pos] == r"\left":
            depth += 1
        elif tokens[pos] == r"\right":
            depth -= 1
            if depth == 0:
                end = min(pos + 2, len(tokens))
                return tokens[start:end], end
        pos += 1
    return tokens[start:], pos
