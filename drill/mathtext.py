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
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["to_terminal", "wrap"]

# ---------------------------------------------------------------------------
# Symbol tables
# ---------------------------------------------------------------------------

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "Gamma": "Γ", "delta": "δ",
    "Delta": "Δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ", "eta": "η",
    "theta": "θ", "vartheta": "θ", "Theta": "Θ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "Lambda": "Λ", "mu": "μ", "nu": "ν", "xi": "ξ", "Xi": "Ξ",
    "pi": "π", "Pi": "Π", "rho": "ρ", "sigma": "σ", "Sigma": "Σ", "tau": "τ",
    "upsilon": "υ", "phi": "φ", "varphi": "φ", "Phi": "Φ", "chi": "χ",
    "psi": "ψ", "Psi": "Ψ", "omega": "ω", "Omega": "Ω",
}

# Ordinary symbols: behave like a letter.
_SYMBOLS = {
    **_GREEK,
    "nabla": "∇", "partial": "∂", "infty": "∞", "ell": "ℓ", "forall": "∀",
    "exists": "∃", "emptyset": "∅", "varnothing": "∅", "top": "⊤",
    "bot": "⊥", "hbar": "ℏ",
}

# Binary operators, relations and arrows: one space on each side.
_BINARY = {
    "cdot": "·", "times": "×", "odot": "⊙", "otimes": "⊗", "oplus": "⊕",
    "pm": "±", "mp": "∓", "div": "÷", "ast": "∗", "circ": "∘", "cup": "∪",
    "cap": "∩", "wedge": "∧", "land": "∧", "vee": "∨", "lor": "∨",
    "setminus": "∖", "leftarrow": "←", "gets": "←", "rightarrow": "→",
    "to": "→", "Leftarrow": "⇐", "Rightarrow": "⇒", "implies": "⇒",
    "leftrightarrow": "↔", "Leftrightarrow": "⇔", "iff": "⇔", "mapsto": "↦",
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠",
    "approx": "≈", "sim": "∼", "simeq": "≃", "propto": "∝", "equiv": "≡",
    "in": "∈", "notin": "∉", "subset": "⊂", "subseteq": "⊆", "supset": "⊃",
    "supseteq": "⊇", "ll": "≪", "gg": "≫", "mid": "|", "coloneqq": "≔",
}

# Named operators: a space separates them from a neighbouring symbol.
_OPERATORS = {
    "max": "max", "min": "min", "log": "log", "exp": "exp", "arg": "arg",
    "ln": "ln", "lim": "lim", "sup": "sup", "inf": "inf", "det": "det",
    "sin": "sin", "cos": "cos", "tan": "tan", "tanh": "tanh", "sinh": "sinh",
    "cosh": "cosh", "Pr": "Pr", "sum": "Σ", "prod": "∏",
}

# Ellipses: one space separates them from a neighbouring symbol.
_DOTS = {"cdots": "⋯", "ldots": "…", "dots": "…", "dotsc": "…", "dotsb": "⋯",
         "dotsm": "⋯", "dotsi": "⋯", "vdots": "⋮", "ddots": "⋱"}

# Other ordinary characters; spacing around them is kept as typed.
_OTHERS = {
    "prime": "′", "int": "∫", "oint": "∮",
    "neg": "¬", "lnot": "¬", "angle": "∠", "checkmark": "✓", "colon": ":",
    "S": "§", "dag": "†", "dagger": "†", "star": "⋆",
}

_OPENERS = {"langle": "⟨", "lfloor": "⌊", "lceil": "⌈", "lbrace": "{", "lbrack": "["}
_CLOSERS = {"rangle": "⟩", "rfloor": "⌋", "rceil": "⌉", "rbrace": "}", "rbrack": "]"}
_FENCES = {"vert": "|", "lvert": "|", "rvert": "|", "Vert": "‖", "lVert": "‖", "rVert": "‖"}

_SPACING = {"quad": "  ", "qquad": "    ", "enspace": " ", "thinspace": " ",
            "medspace": " ", "thickspace": " "}

# Commands dropped without a trace: delimiter sizing (the delimiter that
# follows is kept) and style hints.
_DELIMITER_SIZERS = {
    "left", "right", "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr",
    "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr", "bigm", "Bigm",
}
# Control words that stand for one piece, checked in this order, with the kind of piece.
_WORD_TABLES = (
    ("sym", _SYMBOLS), ("bin", _BINARY), ("op", _OPERATORS), ("dots", _DOTS),
    ("other", _OTHERS), ("open", _OPENERS), ("close", _CLOSERS), ("fence", _FENCES),
    ("hspace", _SPACING),
)

_DROPPED = _DELIMITER_SIZERS | {
    "displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle",
    "limits", "nolimits", "nonumber", "notag", "hline", "mathstrut", "strut",
    "negthinspace", "negmedspace", "negthickspace",
}

_TEXT_COMMANDS = {"text", "textrm", "textbf", "textit", "textsf", "texttt",
                  "textnormal", "mbox", "textup", "emph"}
_FONT_COMMANDS = {"mathbf", "mathrm", "mathit", "mathsf", "mathtt", "mathcal",
                  "mathscr", "mathfrak", "mathnormal", "boldsymbol", "bm",
                  "mathbb", "pmb"}
_BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "P": "ℙ",
               "E": "𝔼", "1": "𝟙"}
_ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304",
            "overline": "\u0305", "tilde": "\u0303", "widetilde": "\u0303",
            "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308",
            "check": "\u030c", "breve": "\u0306"}
_FRACTIONS = {"frac", "dfrac", "tfrac", "cfrac"}

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
_MAX_DEPTH = 40
_CLOSING_PUNCTUATION = re.compile(r"[.,;:!?)\]]+")


# ---------------------------------------------------------------------------
# Two-dimensional text blocks
# ---------------------------------------------------------------------------

def _width(line: str) -> int:
    total = 0
    for ch in line:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return total


def _pad(line: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(line))
    return fill + line if right else line + fill


class _Box:
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
        return max((_width(line) for line in self.lines), default=0)


def _line(text: str) -> _Box:
    return _Box([text], 0)


def _hcat(boxes: list[_Box]) -> _Box:
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
    return _Box(rows, above)


# ---------------------------------------------------------------------------
# Tokens and atoms
# ---------------------------------------------------------------------------

def _tokenize(source: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c == "\\":
            if i + 1 >= n:
                break
            d = source[i + 1]
            if d.isascii() and d.isalpha():
                j = i + 1
                while j < n and source[j].isascii() and source[j].isalpha():
                    j += 1
                tokens.append(("cw", source[i + 1:j]))
                i = j
                if j < n and source[j].isspace():
                    while i < n and source[i].isspace():
                        i += 1
                    tokens.append(("sp", "soft"))
            else:
                tokens.append(("cs", d))
                i += 2
        elif c.isspace():
            while i < n and source[i].isspace():
                i += 1
            tokens.append(("sp", " "))
        elif c in "{}_^&":
            tokens.append((c, c))
            i += 1
        else:
            tokens.append(("ch", c))
            i += 1
    return tokens


class _Atom:
    """One item of a math list.

    ``kind`` drives the spacing rules; ``node`` says how to render it.
    """

    __slots__ = ("box", "extra", "items", "kind", "loose", "node", "sub", "sup")

    def __init__(self, kind: str, node: str = "leaf", box: _Box | None = None,
                 items=None, extra=None) -> None:
        self.kind = kind
        self.node = node
        self.box = box
        self.items = items
        self.extra = extra
        self.sub = None
        self.sup = None
        self.loose = False


def _leaf(kind: str, text: str) -> _Atom:
    return _Atom(kind, box=_line(text))


def _inner_kind(atoms: list[_Atom]) -> str:
    solid = [a for a in atoms if a.kind != "space"]
    if not solid:
        return "other"
    if len(solid) == 1:
        return solid[0].kind
    return "word"


def _text_token(kind: str, value: str) -> str:
    if kind == "cw":
        for table in (_SYMBOLS, _BINARY, _OPERATORS, _DOTS, _OTHERS, _OPENERS,
                      _CLOSERS, _FENCES, _SPACING):
            if value in table:
                return table[value]
        return value
    if kind == "cs":
        if value == "!":
            return ""
        if value == "|":
            return "‖"
        if value in ",;:> \\" or value.isspace():
            return " "
        return value
    if kind == "sp":
        return " "
    if kind == "ch" and value == "$":
        return ""
    return value


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def skip_spaces(self) -> None:
        while self.i < len(self.tokens) and self.tokens[self.i][0] == "sp":
            self.i += 1

    # -- lists -------------------------------------------------------------

    def parse_list(self, in_group: bool = False, in_env: bool = False) -> list[_Atom]:
        atoms: list[_Atom] = []
        while True:
            token = self.peek()
            if token is None:
                break
            kind, value = token
            if kind == "}":
                if in_group or in_env:
                    break
                self.i += 1  # stray closing brace
                continue
            if in_env and (kind == "&" or (kind == "cs" and value == "\\")
                           or (kind == "cw" and value == "end")):
                break
            if kind in ("_", "^"):
                self.i += 1
                self.attach_script(atoms, kind)
                continue
            atom = self.parse_atom()
            if atom is not None:
                atoms.append(atom)
        return atoms

    def attach_script(self, atoms: list[_Atom], which: str) -> None:
        arg = self.parse_arg()
        while atoms and atoms[-1].kind == "space":
            atoms.pop()
        slot = "sub" if which == "_" else "sup"
        if not atoms or getattr(atoms[-1], slot) is not None:
            atoms.append(_leaf("other", ""))
        setattr(atoms[-1], slot, arg)

    def parse_arg(self) -> list[_Atom]:
        """A command argument: a braced group or a single token."""
        self.skip_spaces()
        token = self.peek()
        if token is None:
            return []
        kind, value = token
        if kind in ("}", "&", "_", "^") or (kind == "cs" and value == "\\") \
                or (kind == "cw" and value == "end"):
            return []
        if kind == "{":
            self.i += 1
            if self.depth >= _MAX_DEPTH:
                return []
            self.depth += 1
            try:
                inner = self.parse_list(in_group=True)
            finally:
                self.depth -= 1
            if self.peek() is not None and self.peek()[0] == "}":
                self.i += 1
            return inner
        atom = self.parse_atom(single=True)
        return [atom] if atom is not None else []

    def text_arg(self) -> str:
        """A command argument read in text mode."""
        self.skip_spaces()
        token = self.peek()
        if token is None or token[0] in ("}", "&"):
            return ""
        self.i += 1
        if token[0] != "{":
            return _text_token(*token)
        out: list[str] = []
        level = 1
        while self.i < len(self.tokens):
            kind, value = self.tokens[self.i]
            self.i += 1
            if kind == "{":
                level += 1
            elif kind == "}":
                level -= 1
                if level == 0:
                    break
            else:
                out.append(_text_token(kind, value))
        return "".join(out)

    # -- atoms -------------------------------------------------------------

    def parse_atom(self, single: bool = False) -> _Atom | None:
        kind, value = self.tokens[self.i]
        self.i += 1
        if kind == "sp":
            return _Atom("space", extra=value)
        if kind in ("}", "&", "_", "^"):
            return None
        if kind == "ch":
            return self.char_atom(value, single)
        if kind == "cs":
            return self.symbol_atom(value)
        if self.depth >= _MAX_DEPTH:
            # Too deeply nested to be real math: degrade to plain text.
            if kind == "{":
                return None
            return _leaf("word", _text_token(kind, value))
        self.depth += 1
        try:
            if kind == "{":
                inner = self.parse_list(in_group=True)
                if self.peek() is not None and self.peek()[0] == "}":
                    self.i += 1
                return _Atom(_inner_kind(inner), "group", items=inner)
            return self.word_atom(value)
        finally:
            self.depth -= 1

    def char_atom(self, c: str, single: bool) -> _Atom | None:
        if c in "0123456789":
            text = c
            if not single:
                while self.i < len(self.tokens):
                    kind, value = self.tokens[self.i]
                    if kind == "ch" and (value in "0123456789" or (
                            value == "." and self.i + 1 < len(self.tokens)
                            and self.tokens[self.i + 1][0] == "ch"
                            and self.tokens[self.i + 1][1] in "0123456789")):
                        text += value
                        self.i += 1
                    else:
                        break
            return _leaf("num", text)
        if c.isalpha():
            return _leaf("sym", c)
        if c in "([":
            return _leaf("open", c)
        if c in ")]":
            return _leaf("close", c)
        if c == "|":
            return _leaf("fence", c)
        if c in ",;:":
            return _leaf("punct", c)
        if c in "+-=<>/*":
            return _leaf("ascii", c)
        if c == "~":
            return _leaf("hspace", " ")
        if c in "$&":
            return None
        return _leaf("other", c)

    def symbol_atom(self, c: str) -> _Atom | None:
        if c == "!":
            return None
        if c in ",;:> \\" or c.isspace():
            return _leaf("hspace", " ")
        if c == "|":
            return _leaf("fence", "‖")
        if c in "{([":
            return _leaf("open", c)
        if c in "})]":
            return _leaf("close", c)
        return _leaf("other", c)

    def word_atom(self, name: str) -> _Atom | None:
        for kind, table in _WORD_TABLES:
            if name in table:
                return _leaf(kind, table[name])
        if name in _DROPPED:
            self.skip_spaces()
            if name in _DELIMITER_SIZERS and self.peek() == ("ch", "."):
                self.i += 1  # \left. is an invisible delimiter
            return None
        if name in _FRACTIONS:
            numerator = self.parse_arg()
            denominator = self.parse_arg()
            return _Atom("frac", "frac", items=(numerator, denominator))
        if name == "sqrt":
            index = ""
            self.skip_spaces()
            if self.peek() == ("ch", "["):
                self.i += 1
                start = self.i
                while self.i < len(self.tokens) and self.tokens[self.i] != ("ch", "]"):
                    self.i += 1
                index = "".join(_text_token(*t) for t in self.tokens[start:self.i]
                                if t[0] not in ("{", "}")).strip()
                if self.i < len(self.tokens):
                    self.i += 1
            return _Atom("sym", "sqrt", items=self.parse_arg(), extra=index)
        if name in _TEXT_COMMANDS:
            text = self.text_arg()
            return _leaf("sym" if len(text) == 1 else "word", text)
        if name == "operatorname":
            if self.peek() == ("ch", "*"):
                self.i += 1
            return _leaf("op", self.text_arg().strip())
        if name in _FONT_COMMANDS:
            inner = self.parse_arg()
            table = _BLACKBOARD if name == "mathbb" else None
            return _Atom(_inner_kind(inner), "font", items=inner, extra=table)
        if name in _ACCENTS:
            inner = self.parse_arg()
            return _Atom(_inner_kind(inner), "accent", items=inner, extra=_ACCENTS[name])
        if name == "begin":
            return self.environment()
        if name == "end":
            self.text_arg()  # stray \end{...}
            return None
        return _leaf("sym" if len(name) == 1 else "word", name)

    def environment(self) -> _Atom:
        name = self.text_arg().strip()
        if name in ("array", "tabular"):
            self.skip_spaces()
            if self.peek() is not None and self.peek()[0] == "{":
                self.text_arg()  # column specification
        rows: list[list[list[_Atom]]] = [[]]
        while True:
            rows[-1].append(self.parse_list(in_env=True))
            token = self.peek()
            if token is None:
                break
            kind, value = token
            if kind == "&":
                self.i += 1
            elif kind == "cs" and value == "\\":
                self.i += 1
                self.skip_spaces()
                if self.peek() == ("ch", "["):  # \\[2pt]
                    while self.i < len(self.tokens) and self.tokens[self.i] != ("ch", "]"):
                        self.i += 1
                    self.i += 1
                rows.append([])
            elif kind == "cw" and value == "end":
                self.i += 1
                self.text_arg()
                break
            else:  # a closing brace: the environment was never ended
                break
        while len(rows) > 1 and all(
                all(a.kind == "space" for a in cell) for cell in rows[-1]):
            rows.pop()
        return _Atom("block", "env", items=rows, extra=name)


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


def _gap(left: _Atom, lkind: str, right: _Atom, rkind: str, typed: bool | str) -> bool:
    """Whether one space separates two neighbouring atoms."""
    if typed == "soft":
        typed = rkind == "ascii"
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
    if left.loose and rkind in _WORDY:
        return True
    if lkind in ("sym", "num", "close") and rkind in ("sym", "num", "open"):
        return typed and lkind == rkind == "num"
    return typed


def _flatten(atoms: list[_Atom]) -> list[_Atom]:
    out: list[_Atom] = []
    for atom in atoms:
        if atom.node == "group" and atom.sub is None and atom.sup is None:
            out.extend(_flatten(atom.items))
        else:
            out.append(atom)
    return out


def _render_list(atoms: list[_Atom]) -> _Box:
    items: list[tuple[_Atom, _Box, bool | str]] = []
    typed: bool | str = False
    for atom in _flatten(atoms):
        if atom.kind == "space":
            # A space typed right after a control word is "soft".
            typed = "soft" if atom.extra == "soft" and not typed else True
            continue
        box = _render_atom(atom)
        if box.flat and box.text == "":
            continue
        items.append((atom, box, typed))
        typed = False

    # A fence (| or ‖) opens at its first use and closes at the next one.
    kinds: list[str] = []
    is_open: dict[str, bool] = {}
    for atom, box, _ in items:
        kind = atom.kind
        if kind == "fence":
            char = box.text[:1] if box.flat else "|"
            kind = "close" if is_open.get(char) else "open"
            is_open[char] = kind == "open"
        kinds.append(kind)

    pieces: list[_Box] = []
    for pos, (atom, box, typed) in enumerate(items):
        if pos and _gap(items[pos - 1][0], kinds[pos - 1], atom, kinds[pos], typed):
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


def _render_atom(atom: _Atom) -> _Box:
    node = atom.node
    if node == "leaf":
        base = atom.box if atom.box is not None else _line("")
    elif node == "group":
        base = _render_list(atom.items)
    elif node == "font":
        base = _render_list(atom.items)
        if atom.extra and base.flat:
            base = _line("".join(atom.extra.get(ch, ch) for ch in base.text))
    elif node == "accent":
        base = _render_list(atom.items)
        if base.flat:
            base = _line(_accented(base.text, atom.extra))
    elif node == "frac":
        base = _render_fraction(*atom.items)
    elif node == "sqrt":
        base = _render_root(atom)
    else:
        base = _render_environment(atom.extra, atom.items)
    if atom.sub is None and atom.sup is None:
        return base
    return _attach_scripts(atom, base)


def _accented(text: str, mark: str) -> str:
    out = []
    for pos, ch in enumerate(text):
        out.append(ch)
        following = text[pos + 1] if pos + 1 < len(text) else ""
        if not ch.isspace() and not (following and unicodedata.combining(following)):
            out.append(mark)
    return "".join(out)


def _render_fraction(numerator: list[_Atom], denominator: list[_Atom]) -> _Box:
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


def _solid(atoms: list[_Atom]) -> list[_Atom]:
    return [a for a in _flatten(atoms) if a.kind not in ("space", "hspace")]


def _is_one_factor(atoms: list[_Atom]) -> bool:
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
    while rest and rest[0].node == "leaf" and rest[0].box.text in ("'", "′") \
            and rest[0].sub is None and rest[0].sup is None:
        rest = rest[1:]
    return bool(rest) and rest[0].kind == "open" and _is_enclosed(rest)


def _is_product(atom: _Atom) -> bool:
    """True for a braced group of several factors, like {2a} or {a b}: scripted, it needs brackets."""
    return len(_solid(atom.items)) > 1 and not _atom_is_factor(atom)


def _is_enclosed(solid: list[_Atom]) -> bool:
    """True when ``solid`` is one bracketed or fenced group, perhaps with scripts: (a+b), ‖w‖²."""
    first = solid[0]
    if first.sub is not None or first.sup is not None:
        return False
    if first.kind == "fence":
        if first.node != "leaf":
            return False
        for k, atom in enumerate(solid[1:], start=1):
            if atom.kind == "fence" and atom.node == "leaf" and atom.box.text == first.box.text:
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


def _atom_is_factor(atom: _Atom) -> bool:
    if atom.kind in ("frac", "ascii", "bin", "punct", "open", "close", "fence", "dots"):
        return False
    if atom.node == "font":
        inner = _solid(atom.items)
        if inner and all(a.node == "leaf" and a.kind == "sym" and a.box.text.isalpha()
                         for a in inner):
            return True  # a name such as \mathrm{ReLU}
    if atom.node in ("group", "font", "accent"):
        return _is_one_factor(atom.items)
    if atom.node == "leaf" and atom.kind == "other":
        return len(atom.box.text) <= 1
    return True  # a symbol, a number, a name, a root, a grid


def _is_differential(atoms: list[_Atom]) -> bool:
    """True for d, ∂, dL, ∂w₁, ∂²L: one side of a derivative."""
    solid = _solid(atoms)
    if not solid or len(solid) > 2:
        return False
    first = solid[0]
    if not (first.node == "leaf" and first.kind == "sym" and first.box.text in ("d", "∂")
            and first.sub is None):
        return False
    return len(solid) == 1 or _atom_is_factor(solid[1])


def _render_root(atom: _Atom) -> _Box:
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
        return _hcat([_line(sign + "("), radicand, _line(")")])
    if _is_simple(radicand.text):
        atom.loose = radicand.text != ""
        return _line(sign + radicand.text)
    return _line(f"{sign}({radicand.text})")


def _attach_scripts(atom: _Atom, base: _Box) -> _Box:
    atom.loose = False
    if base.flat and base.text and (
            atom.node in ("frac", "sqrt")
            or (atom.node in ("group", "font", "accent") and (
                _needs_parens(base.text) or _is_product(atom)))):
        base = _line(f"({base.text})")
    scripts = []
    for mark, table, atoms in (("_", _SUBSCRIPTS, atom.sub), ("^", _SUPERSCRIPTS, atom.sup)):
        if atoms is not None:
            box = _render_list(atoms)
            wordy = any(a.kind in ("op", "word") for a in _flatten(atoms))
            raised = _scripted(box.text, table) if box.flat and not wordy else None
            scripts.append((mark, box, raised))
    if all(raised is not None for _, _, raised in scripts):
        return _hcat([base, _line("".join(raised for _, _, raised in scripts))])
    pieces = [base]
    for mark, box, _ in scripts:
        if box.flat and box.text == "":
            continue
        if box.flat and (len(box.text) == 1 or all(
                ch.isalnum() and ch not in _SCRIPT_CHARS for ch in box.text)):
            pieces.append(_line(mark + box.text))
            atom.loose = True
        else:
            pieces.extend([_line(mark + "("), box, _line(")")])
            atom.loose = False
    return _hcat(pieces)


_BRACKETS = {
    # name: (one-row left, one-row right, top, middle, bottom) per side
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


def _render_environment(name: str, rows: list[list[list[_Atom]]]) -> _Box:
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
            return _Box([f"{one_l} {lines[0]} {one_r}"], 0)
        out = []
        for r, line in enumerate(lines):
            if r == 0:
                out.append(top_l + line + top_r)
            elif r == height - 1:
                out.append(bot_l + line + bot_r)
            else:
                out.append(mid_l + line + mid_r)
        return _Box(out, base)
    if name in ("Bmatrix", "cases"):
        left_column = _brace_column(height, True)
        if height == 1:
            left_column = ["{ "]
        if name == "cases":
            return _Box([b + line for b, line in zip(left_column, lines)], base)
        right_column = _brace_column(height, False)
        if height == 1:
            right_column = [" }"]
        return _Box([b + line + e for b, line, e in zip(left_column, lines, right_column)], base)
    return _Box(lines, base)


def _render_math(source: str) -> _Box:
    return _render_list(_Parser(_tokenize(source)).parse_list())


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
            box = _render_math(content)
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
    if _width(line.replace(_KEEP, " ")) <= width:
        return [line.replace(_KEEP, " ")]
    body = line.lstrip(" ")
    lead = line[: len(line) - len(body)]
    room = max(1, width - _width(hang))
    # (space before, word) pairs; a formula wider than a line is split at its own spaces.
    units: list[tuple[str, str]] = []
    before = ""
    for token in re.split(r"( +)", body):
        if token.startswith(" "):
            before = token
            continue
        if not token:
            continue
        if _KEEP in token and _width(token.replace(_KEEP, " ")) > room:
            parts = re.split(f"({_KEEP}+)", token)
            units.append((before, parts[0]))
            units.extend((parts[k].replace(_KEEP, " "), parts[k + 1])
                         for k in range(1, len(parts) - 1, 2))
        else:
            units.append((before, token.replace(_KEEP, " ")))
        before = ""
    lines: list[str] = []
    current, used, fresh = lead, _width(lead), True
    for before, word in units:
        size = _width(word)
        if fresh:
            current, used, fresh = current + word, used + size, False
        elif used + len(before) + size <= width:
            current, used = current + before + word, used + len(before) + size
        else:
            lines.append(current.rstrip())
            current, used = hang + word, _width(hang) + size
    lines.append(current.rstrip())
    return lines
