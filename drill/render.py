"""Text and JSON views of items and variants for the terminal (math as readable Unicode)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypedDict

from drill.mathtext import to_terminal, wrap
from drill.models import Deck, Item, Variant

if TYPE_CHECKING:
    from drill.checker import Report


def item_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """An item row as JSON for `drill items --json`."""
    return {
        "id": row["id"],
        "kind": row["kind"],
        "title": row["title"],
        "deck": row["deck"],
        "tags": row["tags"],
        "due": row["due"],
        "interval": row["interval"],
        "repetitions": row["repetitions"],
        "easiness": row["easiness_milli"] / 1000,
        "lapses": row["lapses"],
    }


def items_table(rows: Sequence[Mapping[str, Any]]) -> str:
    """Items as an aligned table: number, id, kind, due, title."""
    if not rows:
        return "No items."
    width = max(len(row["id"]) for row in rows)
    lines = [f"{'#':>3}  {'id':<{width}}  {'kind':<7}  {'due':<10}  title"]
    for number, row in enumerate(rows, start=1):
        due = row["due"] or "new"
        lines.append(f"{number:>3}  {row['id']:<{width}}  {row['kind']:<7}  {due:<10}  {row['title']}")
    return "\n".join(lines)


def variant_json(item: Item, variant: Variant) -> dict[str, Any]:
    """A variant as JSON for `drill show --json`: readable text, with the LaTeX source beside it."""
    data: dict[str, Any] = {
        "item": item.id,
        "seed": variant.seed,
        "kind": item.kind,
        "mode": variant.mode,
        "title": item.title,
        "prompt": to_terminal(variant.prompt),
        "answer": variant.answer if variant.mode == "numeric" else to_terminal(variant.answer),
        "answer_text": to_terminal(variant.answer_text),
        "solution": to_terminal(variant.solution),
        "insight": to_terminal(item.insight),
        "prompt_latex": variant.prompt,
        "solution_latex": variant.solution,
    }
    if variant.mode == "numeric":
        data["params"] = variant.params
        data["tolerance"] = {"rtol": variant.tolerance.rtol, "atol": variant.tolerance.atol}
    if variant.mode == "code":
        data["task"] = item.task
        data["functions"] = list(item.functions)
        data["starter"] = item.starter
        data["reference"] = item.reference
    return data


# A terminal narrower than MIN_WIDTH cannot show a table or a formula anyway (one column made
# every word a column of letters; COLUMNS=0 made rich print nothing), and wider than MAX_WIDTH
# no line is read whole: odd sizes are clamped rather than trusted.
MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 40, 500, 80


def _columns_env() -> int | None:
    """COLUMNS when it is a positive whole number, else None (unset, 0, -5, abc, ...)."""
    raw = os.environ.get("COLUMNS", "").strip()
    if raw.isascii() and raw.isdigit() and int(raw) > 0:
        return int(raw)
    return None


def _terminal_size() -> os.terminal_size | None:
    """The size of the terminal on the real stdout; None when it is not a terminal or there is
    no stdout at all (shutil.get_terminal_size would read COLUMNS again)."""
    stdout = sys.__stdout__
    if stdout is None:
        return None
    try:
        return os.get_terminal_size(stdout.fileno())
    except (AttributeError, ValueError, OSError):  # a replaced or closed stream, or not a terminal
        return None


def terminal_width() -> int:
    """Columns to lay out for: COLUMNS if it is a positive number, else the terminal's, else 80;
    clamped to MIN_WIDTH..MAX_WIDTH."""
    width = _columns_env()
    if width is None:
        size = _terminal_size()
        width = (size.columns if size is not None else 0) or DEFAULT_WIDTH  # may report 0 columns
    return max(MIN_WIDTH, min(width, MAX_WIDTH))


class ConsoleSize(TypedDict, total=False):
    """Keyword arguments for a rich Console's size."""

    width: int
    height: int


def console_options() -> ConsoleSize:
    """Width and height for a rich Console: none while COLUMNS and LINES are unset and the
    terminal's own size is usable (so rich follows resizes), else clamped values, since rich
    trusts COLUMNS=0 (and prints nothing) and crashes on a COLUMNS such as '²'."""
    if "COLUMNS" not in os.environ and "LINES" not in os.environ:
        size = _terminal_size()
        if size is not None and MIN_WIDTH <= size.columns <= MAX_WIDTH:
            return {}
    return {"width": terminal_width(), "height": _terminal_height()}


def _terminal_height() -> int:
    raw = os.environ.get("LINES", "").strip()
    if raw.isascii() and raw.isdigit() and int(raw) > 0:
        height = int(raw)
    else:
        size = _terminal_size()
        height = size.lines if size is not None else 0
    return max(5, min(height or 25, 1000))


def _is_tty(stream: IO[str] | None) -> bool:
    if not stream:
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stream
        return False


def wrap_width(stream: IO[str] | None) -> int | None:
    """The width to wrap text for `stream` to: COLUMNS if set, else the terminal's; None when piped."""
    if _columns_env() is None and not _is_tty(stream):
        return None
    return terminal_width()


def variant_text(item: Item, variant: Variant, width: int | None = None) -> str:
    """A variant for reading in the terminal: prompt, answer, worked solution, insight.

    With `width`, prose is wrapped to that many columns; code and grids are kept whole.
    """
    return prompt_text(item, variant, width) + "\n\n" + solution_text(item, variant, width)


def prompt_text(item: Item, variant: Variant, width: int | None = None) -> str:
    """The question side: title, prompt, and the starter code for code items."""
    parts = [
        wrapped(item.title, width),
        wrapped(f"{item.id} · {item.kind} · variant {variant.seed}", width),
        "",
        _text(variant.prompt, width),
    ]
    if variant.mode == "code" and item.starter:
        label = "The code with the bug:" if item.task == "fix" else "Starter:"
        parts += ["", label, "", _indent(item.starter.strip())]
    return "\n".join(parts)


def solution_text(item: Item, variant: Variant, width: int | None = None) -> str:
    """The answer side: the answer, the reference code, the worked solution, the insight."""
    parts = [_text("Answer: " + variant.answer_text.lstrip(), width)]
    if variant.mode == "code" and item.reference:
        parts += ["", "Reference solution:", "", _indent(reference_code(item))]
    parts += ["", "Worked solution:", _text(variant.solution, width)]
    parts += ["", _text("Key insight: " + item.insight.lstrip(), width)]
    return "\n".join(parts)


def reference_code(item: Item) -> str:
    """The reference solution without its EXAMPLES table (that is for deck checks)."""
    text = item.reference or ""
    cut = text.find("\nEXAMPLES")
    return (text if cut < 0 else text[:cut]).rstrip()


def variants_table(item: Item, made: list[Variant]) -> str:
    """One line per variant: seed, answer and parameters."""
    lines = [f"{item.title} ({item.id})"]
    for variant in made:
        params = ", ".join(f"{k}={_short(v)}" for k, v in variant.params.items())
        answer = to_terminal(variant.answer_text).strip().replace("\n", " ")
        line = f"  seed {variant.seed:>4}  answer {_short(answer, 30):<30}"
        lines.append((line + ("  " + params if params else "")).rstrip())
    return "\n".join(lines)


def stored_variants_table(item: Item, rows: Sequence[Mapping[str, Any]]) -> str:
    """The variants of an item stored so far: seed, when, answer."""
    if not rows:
        return f"No variants of {item.id} stored yet; `drill show` and `drill review` store them."
    lines = [f"{item.title} ({item.id}): {len(rows)} stored"]
    for row in rows:
        answer = row["answer"] if isinstance(row["answer"], (int, float, list)) else "(text)"
        lines.append(f"  seed {row['seed']:>7}  {row['created_at'][:10]}  answer {_short(answer, 40)}")
    return "\n".join(lines)


def decks_table(decks: Iterable[Deck]) -> str:
    """The decks: name, item count, title, folder."""
    lines = []
    for deck in decks:
        origin = "built-in" if deck.builtin else str(deck.folder)
        lines.append(f"{deck.name}  {len(deck.items)} items  {deck.title}  ({origin})")
    return "\n".join(lines) or "No decks."


def _text(latex: str, width: int | None = None) -> str:
    """Readable text without leading or trailing blank lines (indented grids stay aligned)."""
    return to_terminal(latex, width).strip("\n").rstrip()


def wrapped(text: str, width: int | None) -> str:
    """Plain text (no math) wrapped to `width` columns; as it is when `width` is None."""
    return text if width is None else wrap(text, width)


def _indent(text: str, by: str = "    ") -> str:
    return "\n".join(by + line if line else line for line in text.splitlines())


def _short(value: object, limit: int = 40) -> str:
    text = value if isinstance(value, str) else " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def report_text(item: Item, report: Report, path: str | Path, width: int | None = None) -> str:
    """A check report: a line per case, then the first failure explained, then the hint.

    With `width`, the prose is wrapped; the failing call, the values and your code's
    output are shown as they are.
    """
    lines = [wrapped(f"Checking {path} against {item.id} (seed {report.seed})", width), ""]
    for case in report.cases:
        lines.append(wrapped(f"  {'✓' if case.passed else '✗'} {case.name}", width))
    failure = report.first_failure
    if failure is not None:
        lines += ["", wrapped(f"First failure: {failure.name}", width),
                  wrapped(f"  {failure.message}", width)]
        if failure.detail:
            lines += ["  " + line for line in failure.detail.splitlines()]
    if report.hint:
        lines += ["", wrapped(f"Hint: {report.hint}", width)]
    if report.output.strip():
        shown = report.output.rstrip()
        lines += ["", "Your code printed:", _indent(shown)]
        if report.output_truncated:
            lines.append(wrapped("  (cut short: it printed more than this)", width))
    missing = getattr(report, "missing_protections", [])
    if missing:
        lines += ["", wrapped("Note: your code ran without " + ", ".join(missing) + " protection"
                              + "s" * (len(missing) > 1) + " (drill uses Linux namespaces and "
                              "Landlock where the system offers them).", width)]
    passed = sum(case.passed for case in report.cases)
    replay = not report.passed and report.cases[0].name != "reading your code"
    lines += ["", wrapped(f"{passed} of {len(report.cases)} cases passed."
                         + (f" Replay these cases with --seed {report.seed}." if replay else ""),
                         width)]
    return "\n".join(lines)
