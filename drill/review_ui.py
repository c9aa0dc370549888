"""The terminal side of `drill review`: panels, prompts and single-key grades.

This is user interface (click and rich); the session logic lives in drill.session.
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from typing import TYPE_CHECKING

import click

from drill import session as sessions
from drill.answers import AnswerError
from drill.mathtext import to_terminal
from drill.render import reference_code
from drill.variants import check_typed

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.panel import Panel

    from drill.checker import Report
    from drill.models import Item, Variant

# What a card's answer phase gives: right or wrong (None: not checked), the answer typed or
# written (None: none), and the number of tries.
Attempt = tuple[bool | None, str | None, int]

GRADES = {
    5: "perfect, no hesitation",
    4: "right, after a moment's thought",
    3: "right, but it was hard",
    2: "wrong, but it felt familiar",
    1: "wrong; it came back on seeing the answer",
    0: "no idea at all",
}
KEYS = "0-5 grade · Enter the suggested grade · u undo · s skip until tomorrow · q quit · ? help"
MALFORMED_TRIES = 3
CODE_TRIES = 2


class Quit(Exception):
    """The learner pressed q."""


class Again(Exception):
    """Show the queue's next card instead of this one (after an undo or a skip)."""


def run(session: sessions.Session) -> int:
    """Run a review session in the terminal; return the exit status."""
    from rich.console import Console

    from drill.render import console_options

    console = Console(highlight=False, **console_options())
    if session.remaining() == 0:
        _nothing_due(console, session)
        return 0
    count = session.remaining()
    console.print(f"[bold]{count} card{'s' * (count != 1)} today.[/] Grades: "
                  + " · ".join(f"{q} {text}" for q, text in GRADES.items()))
    console.print(f"[dim]Keys: {KEYS}[/]\n")
    status = 0
    try:
        while True:
            card = session.next()
            if card is None:
                break
            try:
                _review(console, session, card)
            except Again:
                continue
    except Quit:
        console.print("\nStopped. Every grade so far is saved.")
    except (KeyboardInterrupt, click.Abort, EOFError):
        console.print("\nInterrupted. Every grade so far is saved; the card on screen was not graded.")
        status = 130
    if "drill.warm" in sys.modules:  # a code card's warm worker ends with the session
        sys.modules["drill.warm"].close()
    _summary(console, session)
    return status


def _review(console: Console, session: sessions.Session, card: sessions.Card) -> None:
    _show_card(console, card)
    started = time.monotonic()
    mode = card.variant.mode
    correct: bool | None
    answer: str | None
    if mode == "numeric":
        correct, answer, tries = _numeric(console, session, card)
    elif mode == "code":
        correct, answer, tries = _code(console, session, card)
    else:
        _key(console, session, card, "Press Enter to see the answer (s skip · q quit · u undo)", "\r")
        correct, answer, tries = None, None, 1
    seconds = time.monotonic() - started
    _show_solution(console, card)
    suggested = sessions.suggest_grade(mode, correct, seconds, tries)
    quality = _ask_grade(console, session, card, suggested)
    graded = session.grade(card, quality, answer=answer, correct=correct,
                           response_ms=int(seconds * 1000))
    again = " It comes back at the end of this session." if quality < sessions.REDRILL_BELOW else ""
    if graded.stale:
        again = (" It was graded in another drill after this session began, so this grade "
                 "is logged as a re-drill and leaves its schedule as that grade set it." + again)
    console.print(f"[green]Saved grade {quality}[/] for {card.item.id}.{again}\n")


# -- the three kinds of card -------------------------------------------------------------


def _numeric(console: Console, session: sessions.Session, card: sessions.Card) -> Attempt:
    for attempt in range(MALFORMED_TRIES):
        typed = click.prompt("Your answer", default="", show_default=False, prompt_suffix=" › ")
        if typed.strip().lower() in ("q", "s", "u", "?"):
            _command(console, session, card, typed.strip().lower())
            return _numeric(console, session, card)
        try:
            verdict = check_typed(card.variant, typed)
        except AnswerError as exc:
            hint = str(exc).rstrip(".")
            last = attempt == MALFORMED_TRIES - 1
            console.print(f"  [yellow]{hint}.[/]" + ("" if last else " Try again."))
            continue
        mark = "[green]✓[/]" if verdict.correct else "[red]✗[/]"
        console.print(f"{mark} {verdict.message}")
        return verdict.correct, typed, 1
    return False, None, 1


def _code(console: Console, session: sessions.Session, card: sessions.Card) -> Attempt:
    from drill import warm

    warm.start()  # a warm worker for the checks gets ready while the learner writes
    item = card.item
    text = item.starter or ""
    tries = 0
    key = _key(console, session, card,
               "Press Enter to write your answer in your editor (r show the answer · s skip · q quit)",
               "\rr")
    if key == "r":
        return None, None, 1
    while True:
        try:
            edited = click.edit(text, extension=".py")
        except click.ClickException as exc:
            console.print(f"[yellow]Could not open your editor ({exc.message}). Set $EDITOR, "
                          "or write the answer in a file and use `drill check`.[/]")
            return None, None, 1
        text = edited if edited is not None else text
        tries += 1
        with console.status("Checking your code…"):
            report = warm.check_source(item, text, secrets.randbelow(2**31))
        show_report(console, report)
        if report.passed or tries >= CODE_TRIES:
            return report.passed, text, tries
        key = _key(console, session, card, "t try once more · Enter show the answer", "t\r")
        if key != "t":
            return False, text, tries


OUTPUT_LINES = 12  # of the code's own output, shown under a check in the review


def show_report(console: Console, report: Report) -> None:
    """A check report in a few lines: passed count, the first failure, the hint."""
    passed = sum(c.passed for c in report.cases)
    if report.output.strip():
        lines = report.output.rstrip().splitlines()
        shown = lines[-OUTPUT_LINES:]
        more = " (its last lines)" if len(lines) > OUTPUT_LINES or report.output_truncated else ""
        console.print(f"Your code printed{more}:", markup=False, highlight=False)
        console.print("\n".join("  " + line for line in shown), markup=False, highlight=False)
    if report.passed:
        console.print(f"[green]✓ All {passed} cases passed.[/]")
        return
    console.print(f"[red]✗ {passed} of {len(report.cases)} cases passed.[/]")
    failure = report.first_failure
    if failure is not None:  # always, as a report that did not pass has cases
        console.print(f"  First failure: {failure.name}\n  {failure.message}", markup=False, highlight=False)
    if report.hint:
        console.print(f"  Hint: {report.hint}", markup=False, highlight=False)


# -- drawing -----------------------------------------------------------------------------


def _show_card(console: Console, card: sessions.Card) -> None:
    again = " · again" if card.redrill else ""
    console.print(question_panel(
        card.item, card.variant, card.item.title,
        f"{card.position}/{card.total} · {card.item.id} · variant {card.variant.seed}{again}"))


def question_panel(item: Item, variant: Variant, title: str, subtitle: str) -> Panel:
    """A question in a panel: the prompt, and the starter (or the buggy code) of a code item."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    parts: list[RenderableType] = [Text(to_terminal(variant.prompt).strip("\n"))]
    if variant.mode == "code" and item.starter:
        from rich.syntax import Syntax  # loads Pygments: only for code

        label = "The code with the bug:" if item.task == "fix" else "Starter:"
        parts += [Text(""), Text(label, style="bold"),
                  Syntax(item.starter.rstrip(), "python", theme="ansi_dark", word_wrap=True)]
    return Panel(Group(*parts), title=f"[bold]{title}[/]", subtitle=subtitle,
                 title_align="left", subtitle_align="right")


def _show_solution(console: Console, card: sessions.Card) -> None:
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    answer = Text(to_terminal(card.variant.answer_text).strip("\n"))
    parts: list[RenderableType] = [Text("Answer: ", style="bold") + answer]
    if card.variant.mode == "code" and card.item.reference:
        from rich.syntax import Syntax  # loads Pygments: only for code

        parts += [Text(""), Syntax(reference_code(card.item), "python", theme="ansi_dark",
                                   word_wrap=True)]
    parts += [Text(""), Text(to_terminal(card.variant.solution).strip("\n")), Text(""),
              Text("Key insight: ", style="bold") + Text(to_terminal(card.item.insight).strip())]
    console.print(Panel(Group(*parts), border_style="dim"))


def _summary(console: Console, session: sessions.Session) -> None:
    s = session.summary()
    minutes, seconds = divmod(s["seconds"], 60)
    checked = f", {s['correct']} of {s['checked']} checked answers right" if s["checked"] else ""
    lines = [
        f"Reviewed {s['reviewed']} card{'s' * (s['reviewed'] != 1)}{checked}; "
        f"{s['redrilled']} re-drill{'s' * (s['redrilled'] != 1)}; {minutes} min {seconds} s.",
        f"Next due: {s['next_due'] or 'nothing scheduled yet'}. "
        f"Streak: {s['streak']} day{'s' * (s['streak'] != 1)}.",
    ]
    if s["left"]:
        lines.append(f"{s['left']} card{'s' * (s['left'] != 1)} left for today: run `drill review` to go on.")
    console.print("\n".join(lines))


def _nothing_due(console: Console, session: sessions.Session) -> None:
    s = session.summary()
    console.print(f"Nothing to review now. Next due: {s['next_due'] or 'nothing scheduled yet'}. "
                  f"Streak: {s['streak']} day{'s' * (s['streak'] != 1)}.")


# -- keys ---------------------------------------------------------------------------------


def _key(console: Console, session: sessions.Session, card: sessions.Card, prompt: str, accept: str) -> str:
    """Wait for one of `accept` (or a command key) and return it."""
    console.print(f"[dim]{prompt}[/]")
    while True:
        key = getchar()
        if key in ("\r", "\n"):
            key = "\r"
        if key in accept:
            return key
        if key in ("q", "s", "u", "?"):
            _command(console, session, card, key)


def _ask_grade(console: Console, session: sessions.Session, card: sessions.Card, suggested: int | None) -> int:
    default = f" (Enter = {suggested})" if suggested is not None else ""
    console.print(f"Grade 0-5{default} · u undo · s skip · q quit · ? help: ", end="")
    while True:
        key = getchar()
        if key.isdigit() and 0 <= int(key) <= 5:
            console.print(key)
            return int(key)
        if key in ("\r", "\n") and suggested is not None:
            console.print(str(suggested))
            return suggested
        if key in ("q", "s", "u", "?"):
            console.print(key)
            _command(console, session, card, key)
            console.print(f"Grade 0-5{default}: ", end="")


def _command(console: Console, session: sessions.Session, card: sessions.Card, key: str) -> None:
    if key == "q":
        raise Quit
    if key == "?":
        console.print("\n".join(f"  {q}  {text}" for q, text in GRADES.items()))
        console.print(f"  Keys: {KEYS}")
        return
    if key == "s":
        until = session.skip(card)
        console.print(f"Skipped {card.item.id} until {until}.\n")
        raise Again
    if key == "u":
        undone = session.undo()
        if undone is None:
            console.print("No grade of this session to undo; `drill undo` takes back the "
                          "latest grade of any session.")
            return
        console.print(f"Undid grade {undone['quality']} for {undone['item_id']}; it comes back now.\n")
        raise Again


def getchar() -> str:
    """One key press, lower-cased; Ctrl-C and Ctrl-D raise as they would at a prompt."""
    char = _read_key()
    if char == "\x03":
        raise KeyboardInterrupt
    if char == "\x04":
        raise EOFError
    return char.lower()


def _read_key() -> str:
    """One key press, without waiting for Enter.

    click.getchar() switches the terminal with TCSAFLUSH, which throws away keys typed a
    moment too early; switching with TCSANOW keeps them.
    """
    try:
        import termios
        import tty
    except ImportError:  # not a POSIX terminal
        return click.getchar()
    fd = sys.stdin.fileno()
    old = termios.tcgetattr(fd)
    try:
        tty.setraw(fd, termios.TCSANOW)
        data = os.read(fd, 32)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)
    if not data:
        raise EOFError
    return data.decode("utf-8", errors="replace")
