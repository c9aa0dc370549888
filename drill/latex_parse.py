r"""Parse the LaTeX math of card text into a tree of atoms.

:func:`parse` cuts math source into tokens (control words, control symbols, spaces, single
characters) and reads them into a list of :class:`Atom`: symbols, numbers, operators, brackets,
braced groups, fractions, roots, font and accent commands, environments (matrices, cases,
aligned rows), each with its sub- and superscripts.  Unknown commands become words; nothing
raises, and nesting deeper than ``_MAX_DEPTH`` degrades to plain text.

Laying the tree out as text is :mod:`drill.latex_render`'s job; card text as a whole goes
through :mod:`drill.mathtext`.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["Atom", "Kind", "parse"]

# How an atom takes part in the spacing rules (see drill.mathtext).
Kind = Literal[
    "space", "hspace", "sym", "num", "word", "op", "bin", "dots", "other",
    "open", "close", "fence", "punct", "ascii", "frac", "block",
]
# How an atom is rendered.
Node = Literal["leaf", "group", "font", "accent", "frac", "sqrt", "env"]
Token = tuple[str, str]

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
_WORD_TABLES: tuple[tuple[Kind, dict[str, str]], ...] = (
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
_ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304",
            "overline": "\u0305", "tilde": "\u0303", "widetilde": "\u0303",
            "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308",
            "check": "\u030c", "breve": "\u0306"}
_FRACTIONS = {"frac", "dfrac", "tfrac", "cfrac"}

_MAX_DEPTH = 40


# ---------------------------------------------------------------------------
# Tokens and atoms
# ---------------------------------------------------------------------------

def _tokenize(source: str) -> list[Token]:
    """Control words ``cw``, control symbols ``cs``, spaces ``sp``, ``{ } _ ^ &``, characters ``ch``."""
    tokens: list[Token] = []
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


class Atom:
    """One item of a math list.

    ``kind`` drives the spacing rules; ``node`` says how to render it, from which fields:

    * ``leaf``: ``text`` as it stands (a ``space`` atom keeps in ``extra`` whether it was
      typed, ``" "``, or followed a control word, ``"soft"``);
    * ``group``: the list ``items``; ``font``: ``items`` set in font ``extra`` (the command,
      e.g. ``mathbb``); ``accent``: ``items`` under the combining mark ``extra``;
    * ``frac``: ``items`` over ``denominator``;
    * ``sqrt``: the radicand ``items``, with the root's index (may be empty) in ``extra``;
    * ``env``: the cells of environment ``extra``, row by row, in ``rows``.

    ``sub`` and ``sup`` are the scripts (``None`` when absent).
    """

    __slots__ = ("denominator", "extra", "items", "kind", "node", "rows", "sub", "sup", "text")

    def __init__(self, kind: Kind, node: Node = "leaf", *, text: str = "",
                 items: list[Atom] | None = None, extra: str = "",
                 denominator: list[Atom] | None = None,
                 rows: list[list[list[Atom]]] | None = None) -> None:
        self.kind: Kind = kind
        self.node: Node = node
        self.text = text
        self.items: list[Atom] = items if items is not None else []
        self.extra = extra
        self.denominator: list[Atom] = denominator if denominator is not None else []
        self.rows: list[list[list[Atom]]] = rows if rows is not None else []
        self.sub: list[Atom] | None = None
        self.sup: list[Atom] | None = None


def parse(source: str) -> list[Atom]:
    r"""The atoms of the math ``source`` (what stands between ``\(`` and ``\)``)."""
    return _Parser(_tokenize(source)).parse_list()


def _leaf(kind: Kind, text: str) -> Atom:
    return Atom(kind, text=text)


def _inner_kind(atoms: list[Atom]) -> Kind:
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
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def skip_spaces(self) -> None:
        while self.i < len(self.tokens) and self.tokens[self.i][0] == "sp":
            self.i += 1

    # -- lists -------------------------------------------------------------

    def parse_list(self, in_group: bool = False, in_env: bool = False) -> list[Atom]:
        atoms: list[Atom] = []
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

    def attach_script(self, atoms: list[Atom], which: str) -> None:
        arg = self.parse_arg()
        while atoms and atoms[-1].kind == "space":
            atoms.pop()
        if not atoms or (atoms[-1].sub if which == "_" else atoms[-1].sup) is not None:
            atoms.append(_leaf("other", ""))
        if which == "_":
            atoms[-1].sub = arg
        else:
            atoms[-1].sup = arg

    def parse_arg(self) -> list[Atom]:
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
            if (token := self.peek()) is not None and token[0] == "}":
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

    def parse_atom(self, single: bool = False) -> Atom | None:
        kind, value = self.tokens[self.i]
        self.i += 1
        if kind == "sp":
            return Atom("space", extra=value)
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
                if (token := self.peek()) is not None and token[0] == "}":
                    self.i += 1
                return Atom(_inner_kind(inner), "group", items=inner)
            return self.word_atom(value)
        finally:
            self.depth -= 1

    def char_atom(self, c: str, single: bool) -> Atom | None:
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

    def symbol_atom(self, c: str) -> Atom | None:
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

    def word_atom(self, name: str) -> Atom | None:
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
            return Atom("frac", "frac", items=numerator, denominator=denominator)
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
            return Atom("sym", "sqrt", items=self.parse_arg(), extra=index)
        if name in _TEXT_COMMANDS:
            text = self.text_arg()
            return _leaf("sym" if len(text) == 1 else "word", text)
        if name == "operatorname":
            if self.peek() == ("ch", "*"):
                self.i += 1
            return _leaf("op", self.text_arg().strip())
        if name in _FONT_COMMANDS:
            inner = self.parse_arg()
            return Atom(_inner_kind(inner), "font", items=inner, extra=name)
        if name in _ACCENTS:
            inner = self.parse_arg()
            return Atom(_inner_kind(inner), "accent", items=inner, extra=_ACCENTS[name])
        if name == "begin":
            return self.environment()
        if name == "end":
            self.text_arg()  # stray \end{...}
            return None
        return _leaf("sym" if len(name) == 1 else "word", name)

    def environment(self) -> Atom:
        name = self.text_arg().strip()
        if name in ("array", "tabular"):
            self.skip_spaces()
            if (token := self.peek()) is not None and token[0] == "{":
                self.text_arg()  # column specification
        rows: list[list[list[Atom]]] = [[]]
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
        return Atom("block", "env", rows=rows, extra=name)
