"""LaTeX as MathML for the printable sheets: converted, sanitised and written out.

latex2mathml converts; its output is parsed and only MathML elements survive (a formula with
anything else gives None, and the sheet falls back to the terminal's Unicode form), and only
MathML attributes are kept, so deck text can never inject markup. A long inline formula is cut
into formulas that can wrap between them, and spacing is made to read as TeX's.

Two ways give the same bytes: the plain way writes latex2mathml's tree out as text and parses
it back (`_via_text`, `_sanitise`, ElementTree's writer); the fast way reads the tree as the
parser would read that text (`_as_parsed`) and writes it itself (`_serialize`), handing
anything it is unsure of to the plain way. `mathml(reference=True)` always goes the plain way.
"""

from __future__ import annotations

import enum
import functools
import re
import xml.etree.ElementTree as ET
from typing import Final, Literal

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


class _Unsure(enum.Enum):
    """What `_parsed` gives for text it cannot read as the parser would."""

    UNSURE = enum.auto()


_UNSURE: Final = _Unsure.UNSURE


def _xml_char(code: int) -> bool:
    return (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF)


def _plain_name(name: object) -> bool:
    """True for a tag or attribute name that is letters and digits (no prefix, no oddity)."""
    return type(name) is str and _plain_str_name(name)


@functools.lru_cache(maxsize=512)  # latex2mathml's tags and attribute names: a few dozen
def _plain_str_name(name: str) -> bool:
    return _XML_NAME.fullmatch(name) is not None


@functools.lru_cache(maxsize=4096)  # the same symbols recur in formula after formula
def _parsed(raw: str, attribute: bool) -> str | Literal[_Unsure.UNSURE]:
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
                parsed = _parsed(value, True)
                if parsed is _UNSURE:
                    return False
                if name in MATHML_ATTRIBUTES:
                    attrib[name] = parsed
                else:
                    del attrib[name]
        for part in ("text", "tail"):
            raw = getattr(element, part)
            if raw is None:
                continue
            if type(raw) is not str:
                return False
            read = _parsed(raw, False) if raw else None
            if read is _UNSURE:
                return False
            setattr(element, part, read or None)
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
def _written_attribute(name: object, value: object) -> str:
    """` name="value"`, for a value ElementTree writes unchanged (else _NotPlain)."""
    if (not _plain_name(name) or type(value) is not str or ">" in value
            or not _PLAIN_VALUE.fullmatch(value)):
        raise _NotPlain
    return f' {name}="{value}"'


def _escape_text(text: object) -> str:
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
