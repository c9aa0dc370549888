"""The terminal side of `drill selfcheck`: the 12 questions, the score, the history.

Marking and storage live in drill.selfcheck and drill.store; this module asks and draws.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from drill import selfcheck
from drill.answers import AnswerError
from drill.errors import DrillError
from drill.loader import BUILTIN
from drill.mathtext import to_terminal
from drill.review_ui import getchar, question_panel, show_report
from drill.selfcheck import Attempt, Question

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from drill.collection import Collection
    from drill.models import Item
    from drill.store import Store

T = TypeVar("T")
# A signal handler as signal.signal takes and returns it.
Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None
# Keeps a finished attempt (or not): the stored row, or None.
Recorder = Callable[[Attempt], Mapping[str, Any] | None]

KEYS = "q at any prompt to stop (the attempt is then kept as unfinished, without a score)"


class Quit(Exception):
    """The learner pressed q."""


class TimeUp(Exception):
    """The time limit ran out."""


class Timer:
    """The attempt's time limit. On POSIX systems an interval timer closes the attempt the
    moment time runs out, even mid-prompt; elsewhere it is checked between questions."""

    def __init__(self, minutes: float | None) -> None:
        self.limit_s = minutes * 60 if minutes else None
        self.started = time.monotonic()
        self.deadline = self.started + self.limit_s if self.limit_s else None
        self.waiting = False  # True while we wait for the learner: then time up interrupts
        self._old: Handler = None  # the SIGALRM handler to put back; None: the timer is not armed

    def __enter__(self) -> Timer:
        if self.limit_s and hasattr(signal, "setitimer"):  # a limit, so a deadline
            self._old = signal.signal(signal.SIGALRM, self._ring)
            signal.setitimer(signal.ITIMER_REAL, self.limit_s)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._old is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._old)

    def _ring(self, signum: int, frame: FrameType | None) -> None:
        if self.waiting:
            raise TimeUp

    @property
    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def check(self) -> None:
        """Raise TimeUp once time has run out."""
        if self.expired:
            raise TimeUp

    def left(self) -> str:
        """Time left as m:ss ('' without a limit)."""
        if self.deadline is None:
            return ""
        seconds = max(0, int(self.deadline - time.monotonic() + 0.999))
        return f"{seconds // 60}:{seconds % 60:02d} left"

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def wait(self, ask: Callable[[], T]) -> T:
        """Call `ask()` (a prompt): running out of time interrupts it."""
        self.check()
        self.waiting = True
        try:
            return ask()
        finally:
            self.waiting = False


def take(collection: Collection, seed: int | None, minutes: float | None, *, record: bool = True) -> int:
    """`drill selfcheck` in the terminal: ask, score, record; return the exit status."""
    import sys

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise DrillError("drill selfcheck needs an interactive terminal; to mark answers "
                         "without one, use `drill selfcheck --answers FILE.toml`")
    if record:
        collection.store.require_writable("record a self-check (--no-record takes one unsaved)")
    items = collection.decks[BUILTIN].items
    seed = selfcheck.fresh_seed() if seed is None else seed
    timer = Timer(minutes)
    attempt = selfcheck.start(seed, "terminal", time_limit_s=timer.limit_s)
    keep: Recorder = collection.store.record_selfcheck if record else (lambda attempt: None)
    return run(selfcheck.questions(items, seed), attempt, timer, keep)


def mark_file(collection: Collection, path: Path, seed: int | None, as_json: bool, *,
              record: bool = True) -> tuple[str | dict[str, Any], bool]:
    """`drill selfcheck --answers`: the text (or JSON data) to print, and whether it passed."""
    if record:
        collection.store.require_writable("record a self-check (--no-record only marks it)")
    items = collection.decks[BUILTIN].items
    answers = selfcheck.read_answers_file(path, items)
    if seed is not None and answers.seed is not None and seed != answers.seed:
        click.echo(f"Note: {path} says seed = {answers.seed}; marking with that seed, "
                   f"not --seed {seed}.", err=True)
    attempt = selfcheck.mark_answers_file(answers, seed, items)
    recorded = collection.store.record_selfcheck(attempt) if record else None
    if as_json:
        return attempt.as_json(), attempt.passed
    return result_text(attempt, recorded, items), attempt.passed


def history(store: Store, as_json: bool) -> str | list[dict[str, Any]]:
    """`drill selfcheck --history`: finished attempts, newest first, as text or JSON data."""
    attempts = store.selfcheck_attempts()
    if as_json:
        return history_json(attempts)
    return history_text(attempts, store.unfinished_selfchecks())


def run(questions: list[Question], attempt: Attempt, timer: Timer, record: Recorder) -> int:
    """Ask every question, then score, record (through `record(attempt)`) and show the result.

    Returns the exit status: 0 for a pass, 1 otherwise, 130 when interrupted.
    """
    from rich.console import Console

    from drill.render import console_options

    console = Console(highlight=False, **console_options())
    limit = f" You have {_minutes(timer.limit_s)}." if timer.limit_s else ""
    console.print(f"[bold]Self-check: {len(questions)} questions, one point each; "
                  f"the pass mark is {selfcheck.PASS_MARK}.[/]{limit}")
    console.print(f"Seed {attempt.seed}: `drill selfcheck --seed {attempt.seed}` asks the same "
                  f"questions again. Press {KEYS}.\n")
    status, outcome, note = 0, "finished", ""
    with timer, _hangup_as_interrupt():
        try:
            for question in questions:
                attempt.marks.append(_ask(console, question, len(questions), timer))
                console.print()
        except Quit:
            outcome = "quit"
        except TimeUp:
            outcome = "timed-out"
            note = "\nTime is up. Questions not answered count as missed.\n"
        except (KeyboardInterrupt, click.Abort, EOFError):  # Ctrl-C, Ctrl-D, a closed terminal
            outcome, status, note = "quit", 130, "\nInterrupted.\n"
    # Recorded before anything more is printed: the terminal may be gone.
    selfcheck.finish(attempt, questions, outcome, timer.elapsed())
    recorded = record(attempt)
    try:
        console.print(note, end="", markup=False)
        if not attempt.finished:
            console.print(f"Stopped after {len(attempt.marks)} of {len(questions)} questions. "
                          "The attempt is kept as unfinished: no score, and your schedule is "
                          "unchanged.")
            return status or 1
        console.print(result_text(attempt, recorded, [q.item for q in questions]), markup=False)
    except OSError:
        pass
    return status or (0 if attempt.passed else 1)


@contextmanager
def _hangup_as_interrupt() -> Iterator[None]:
    """A closed terminal (SIGHUP) ends the attempt like Ctrl-C, so it is still recorded."""
    if not hasattr(signal, "SIGHUP"):
        yield
        return

    def hangup(signum: int, frame: FrameType | None) -> NoReturn:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGHUP, hangup)
    try:
        yield
    finally:
        signal.signal(signal.SIGHUP, previous)


def _ask(console: Console, question: Question, total: int, timer: Timer) -> selfcheck.Mark:
    _show_question(console, question, total, timer)
    if question.mode == "numeric":
        return _numeric(console, question, timer)
    if question.mode == "code":
        return _code(console, question, timer)
    return _concept(console, question, timer)


# -- the three kinds of question -----------------------------------------------------------


def _numeric(console: Console, question: Question, timer: Timer) -> selfcheck.Mark:
    from rich.text import Text

    while True:
        typed = timer.wait(lambda: click.prompt("Your answer", default="", show_default=False,
                                                prompt_suffix=" › "))
        if typed.strip().lower() == "q":
            raise Quit
        try:
            mark = selfcheck.mark_numeric(question, typed)
        except AnswerError as exc:  # a typo, not an answer: it gets its hint and another try
            console.print(Text("  " + str(exc).rstrip(".") + ".", style="yellow") + " Try again.")
            continue
        if mark.correct:
            console.print(Text("✓ ", style="green") + mark.detail)
        else:
            said = f"expected {mark.expected}" in mark.detail  # the verdict already names it
            shown = "" if said else f" The answer is {mark.expected}."
            console.print(Text("✗ ", style="red") + mark.detail + shown)
        return mark


def _code(console: Console, question: Question, timer: Timer) -> selfcheck.Mark:
    from drill.checker import check_source

    item = question.item
    _key(console, timer, "Press Enter to write your answer in your editor (q quit)", "\r")
    while True:
        try:
            edited = click.edit(item.starter or "", extension=".py")  # the clock runs on
        except click.ClickException as exc:
            console.print(f"Could not open your editor ({exc.message}). Set $EDITOR, or answer "
                          "from a file with `drill selfcheck --answers`.", style="yellow", markup=False)
            edited = None
        timer.check()
        if edited is not None:
            break
        key = _key(console, timer, "No answer was saved. Enter open the editor again · "
                                   "n count this question as missed · q quit", "\rn")
        if key == "n":
            return selfcheck.unanswered(question)
    with console.status("Checking your code…"):
        report = check_source(item, edited, question.seed)
    show_report(console, report)
    return selfcheck.mark_code(question, report, edited)


def _concept(console: Console, question: Question, timer: Timer) -> selfcheck.Mark:
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    _key(console, timer, "Answer in your head or on paper, then press Enter to see the model "
                         "answer (q quit)", "\r")
    parts: list[RenderableType] = [Text("Model answer: ", style="bold") + Text(_text(question.item.answer))]
    if question.item.checklist:
        points = Table.grid(padding=(0, 1))
        points.add_column(no_wrap=True)
        points.add_column()
        for point in question.item.checklist:  # a hanging indent keeps each point readable
            points.add_row("  ☐", Text(point))
        parts += [Text(""), Text("Did your answer say…", style="bold"), points]
    console.print(Panel(Group(*parts), border_style="dim"))
    key = _key(console, timer, "Mark yourself: y right (your answer made these points) · "
                               "n missed · q quit", "yn")
    mark = selfcheck.mark_concept(question, key == "y")
    console.print("[green]✓ Marked right.[/]" if mark.correct else "[red]✗ Marked missed.[/]")
    return mark


# -- drawing -------------------------------------------------------------------------------


def _show_question(console: Console, question: Question, total: int, timer: Timer) -> None:
    item = question.item
    clock_text = f" · {timer.left()}" if timer.limit_s else ""
    console.print(question_panel(
        item, question.variant, f"{question.number}. {item.title}",
        f"question {question.number} of {total} · {item.id}{clock_text}"))


def result_text(attempt: Attempt, recorded: Mapping[str, Any] | None, items: Iterable[Item]) -> str:
    """The end of an attempt: a line per question, the score, the band, what to review."""
    by_id = {item.id: item for item in items}
    lines = ["Results:"]
    width = max((len(mark.item_id) for mark in attempt.marks), default=0)
    for number, mark in enumerate(attempt.marks, start=1):
        sign = "✓" if mark.correct else "✗"
        note = "" if mark.answered else " (not answered)"
        title = by_id[mark.item_id].title if mark.item_id in by_id else ""
        lines.append(f"  {sign} {number:>2}. {mark.item_id:<{width}}  {title}{note}")
    found = attempt.band
    verdict = "a pass" if attempt.passed else "not a pass"
    lines += ["", f"Score {attempt.score} / {attempt.total}, {verdict} "
                  f"(the pass mark is {selfcheck.PASS_MARK}). Band: {found.name}.",
              found.advice]
    if attempt.missed:
        lines += ["", "To review what you missed:"]
        width = max(len(item_id) for item_id in attempt.missed)
        for item_id in attempt.missed:
            numeric = item_id in by_id and by_id[item_id].kind == "numeric"
            seed = f" --seed {attempt.seed}" if numeric and attempt.seed else ""
            lines.append(f"  {item_id:<{width}}  drill show {item_id}{seed} · "
                         f"drill practice {item_id}")
        if recorded is not None:
            lines.append(f"Missed questions are due for review by {recorded['due_by']} "
                         "at the latest.")
    if recorded is not None:
        lines += ["", f"Saved as attempt {recorded['id']}; `drill selfcheck --history` "
                      "shows every attempt."]
    return "\n".join(lines)


def history_text(attempts: Sequence[Mapping[str, Any]], unfinished: int) -> str:
    """Finished attempts, newest first, the score trend and the questions missed most often."""
    if not attempts:
        extra = f" ({unfinished} unfinished)" if unfinished else ""
        return f"No finished self-check yet{extra}; `drill selfcheck` starts one."
    lines = [f"{len(attempts)} finished attempt{'s' * (len(attempts) != 1)}"
             + (f" ({unfinished} unfinished not shown)" if unfinished else "") + ", newest first:"]
    table: list[tuple[str, ...]] = [("#", "when", "score", "band", "seed", "how", "time")] + [
        (str(a["id"]), a["finished_at"].replace("T", " ")[:16], f"{a['score']}/{a['total']}",
         a["band"], str(a["seed"]),
         a["mode"] + (" (time up)" if a["outcome"] == "timed-out" else ""),
         _duration(a["duration_ms"]))
        for a in attempts
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    right = {0, 2, 4}  # numbers line up on the right
    for row in table:
        cells = [cell.rjust(w) if i in right else cell.ljust(w)
                 for i, (cell, w) in enumerate(zip(row, widths))]
        lines.append(("  " + "  ".join(cells)).rstrip())
    scores = [a["score"] for a in reversed(attempts)]
    lines += ["", f"Score trend, oldest first: {selfcheck.trend(scores)}"]
    missed: dict[str, int] = {}
    for a in attempts:
        for mark in a["items"]:
            if not mark["correct"]:
                missed[mark["item_id"]] = missed.get(mark["item_id"], 0) + 1
    ranked = sorted(missed.items(), key=lambda pair: (-pair[1], pair[0]))
    if not ranked:
        lines.append("Nothing missed in any attempt.")
    elif len(attempts) == 1:
        lines.append("Missed: " + ", ".join(item_id for item_id, _ in ranked))
    else:
        lines.append("Missed most often: " + ", ".join(
            f"{item_id} ({count} of {len(attempts)})" for item_id, count in ranked[:5]))
    return "\n".join(lines)


def history_json(attempts: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Finished attempts as JSON, newest first, with the keys of `drill selfcheck --json`."""
    return [
        {
            "id": a["id"], "taken_at": a["finished_at"], "started_at": a["started_at"],
            "score": a["score"], "total": a["total"], "passed": a["band"] == "ready",
            "band": a["band"], "seed": a["seed"], "mode": a["mode"], "outcome": a["outcome"],
            "seconds": round(a["duration_ms"] / 1000, 1), "time_limit_s": a["time_limit_s"],
            "items": [{"item": m["item_id"], "correct": m["correct"], "given": m["given"],
                       "expected": m["expected"], "answered": m["answered"]} for m in a["items"]],
        }
        for a in attempts
    ]


def _duration(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


def _minutes(seconds: float) -> str:
    minutes = seconds / 60
    text = f"{minutes:g}" if minutes >= 1 else f"{seconds:g} seconds"
    return f"{text} minute{'s' * (minutes != 1)}" if minutes >= 1 else text


def _text(latex: str) -> str:
    return to_terminal(latex).strip("\n").rstrip()


def _key(console: Console, timer: Timer, prompt: str, accept: str) -> str:
    """Wait for one of `accept` (Enter is '\\r'); q quits."""
    console.print(f"[dim]{prompt}[/]")
    while True:
        key = timer.wait(getchar)
        if key in ("\r", "\n"):
            key = "\r"
        if key in accept:
            return key
        if key == "q":
            raise Quit
