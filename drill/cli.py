"""The `drill` command line: parse, call one library function, print."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Literal, NoReturn, overload

import click

from drill.errors import DrillError

if TYPE_CHECKING:
    from drill.collection import Collection, DeckReview
    from drill.models import Item, Variant
    from drill.plugins import AnkiExport, Exporter, SheetExport

    _MinutesBase = click.ParamType[float]
else:
    _MinutesBase = click.ParamType  # not generic at run time before click 8.2


class DrillGroup(click.Group):
    """A group that turns library errors into one line `Error: ...` and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        _polite_kills_unwind()
        try:
            return super().invoke(ctx)
        except DrillError as exc:
            raise click.ClickException(str(exc)) from None
        except sqlite3.Error as exc:
            # Data the library did not expect (a damaged file, text that is not UTF-8) is
            # explained like any database error, never shown as a traceback.
            from drill.database import default_db_path, explain

            db = (ctx.obj or {}).get("db") or default_db_path()
            raise click.ClickException(explain(exc, Path(db))) from None
        except OSError as exc:
            # A path the system refuses (too long, a loop of links, no permission...).
            where = f"{exc.filename}: " if exc.filename else ""
            reason = (exc.strerror or str(exc)).lower()
            raise click.ClickException(f"{where}{reason}; check the path and try again") from None
        finally:
            if "drill.deckrunner" in sys.modules:  # an added deck's code ran: stop its process
                sys.modules["drill.deckrunner"].close_all()


def _polite_kills_unwind() -> None:
    """SIGTERM (a kill, a shutdown) and SIGHUP (a closed terminal) end a command through
    its normal exit path, so half-written copies and exports are removed and an open
    transaction rolls back; a command may still install its own handler."""
    import signal

    from drill.errors import Stopped

    def stop(signum: int, _frame: FrameType | None) -> NoReturn:
        Stopped.received = signum
        raise Stopped(signum)

    for name in ("SIGTERM", "SIGHUP"):  # no SIGHUP on Windows
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is signal.SIG_DFL:
            signal.signal(number, stop)


def _open(ctx: click.Context, reviewing: str | None = None) -> Collection:
    from drill.collection import open_collection

    collection = open_collection(ctx.obj["db"])
    ctx.call_on_close(collection.close)
    for problem in [*collection.store.warnings, *collection.problems]:
        if reviewing is None or problem != collection.untrusted.get(reviewing):  # shown anyway
            click.echo(f"Warning: {problem}", err=True)
    return collection


def _emit_json(data: object, default: Callable[[Any], object] | None = None) -> None:
    """Print JSON: indented for a person at a terminal, on one line for a pipe or a file
    (Python writes that many times faster, which counts for `drill stats --json` on a big
    collection)."""
    indent = 2 if sys.stdout.isatty() else None
    click.echo(json.dumps(data, indent=indent, ensure_ascii=False, default=default))


SEED = click.IntRange(min=0, max=2**63 - 1)


class Minutes(_MinutesBase):
    """A finite number of minutes within bounds: nan, inf and huge values are usage errors,
    since a time that large overflows timedelta and the interval timer."""

    name = "minutes"

    def __init__(self, low: float, high: float = 24 * 60):
        self.low, self.high = low, high

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, float) and self.low <= value <= self.high:
            return value
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = None
        # Chained comparisons are False for nan, so nan fails the range test too.
        if number is None or not self.low <= number <= self.high:
            self.fail(f"{value!r} is not a number of minutes from {self.low:g} to {self.high:g}; "
                      f"give one like 20", param, ctx)
        return number


@click.group(cls=DrillGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="drill", prog_name="drill")
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="DRILL_DB",
    show_envvar=True,
    help="The database file. Default: drill.db in your user data folder (see `drill where`).",
)
@click.pass_context
def cli(ctx: click.Context, db: Path | None) -> None:
    """Daily drills for the fundamentals of deep learning.

    drill keeps the 12-question deep-learning self-check and fresh numeric variants of it
    in a local SQLite database and schedules reviews with SM-2. Set DRILL_NOW (ISO 8601)
    to pretend it is another time.
    """
    import os

    if db is None and os.environ.get("DRILL_DB") == "":
        raise click.UsageError("DRILL_DB is set but empty; unset it or give it a file path")
    ctx.obj = {"db": db}


DECK = click.option("--deck", metavar="NAME", help="Only this deck (see `drill decks`).")


@cli.command()
@DECK
@click.option("--json", "as_json", is_flag=True, help="Print JSON: due, new, reviewed_today, items.")
@click.pass_context
def status(ctx: click.Context, deck: str | None, as_json: bool) -> None:
    """Show how many cards are due, new and reviewed today."""
    counts = _open(ctx).status(deck)
    if as_json:
        _emit_json(counts)
    else:
        click.echo(
            f"{counts['due']} due, {counts['new']} new, {counts['reviewed_today']} reviewed today "
            f"({counts['items']} items)"
        )


@cli.command()
@DECK
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of items.")
@click.pass_context
def items(ctx: click.Context, deck: str | None, as_json: bool) -> None:
    """List the items with their kind and when each is due."""
    from drill import render

    rows = _open(ctx).items(deck)
    if as_json:
        _emit_json([render.item_json(row) for row in rows])
    else:
        click.echo(render.items_table(rows))


@cli.command()
@click.argument("item")
@click.option("--seed", type=SEED, default=0, show_default=True,
              help="Which variant: 0 is the self-check's own version.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON: item, seed, prompt, answer, and params for numeric variants.")
@click.option("--starter", is_flag=True,
              help="Print only the starter code of a code item, e.g. > relu.py.")
@click.pass_context
def show(ctx: click.Context, item: str, seed: int, as_json: bool, starter: bool) -> None:
    """Show an item or one of its variants, with the worked solution."""
    from drill import render

    collection = _open(ctx)
    variant = collection.variant(item, seed)
    the_item = collection.item(item)
    if starter and as_json:
        raise click.UsageError("--starter prints code, --json prints JSON: choose one")
    if starter:
        if not the_item.starter:
            raise click.BadParameter(f"{item} is a {the_item.kind} item, without starter code",
                                     param_hint="--starter")
        click.echo(the_item.starter, nl=False)
    elif as_json:
        _emit_json(render.variant_json(the_item, variant))
    else:
        import sys

        click.echo(render.variant_text(the_item, variant, render.wrap_width(sys.stdout)))


@cli.command(name="variants")
@click.argument("item")
@click.option("--count", type=click.IntRange(min=1, max=10_000), default=10, show_default=True,
              help="How many variants to generate and list, from seed 0 up.")
@click.option("--stored", is_flag=True, help="List the variants stored so far instead.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of variants.")
@click.pass_context
def variants_cmd(ctx: click.Context, item: str, count: int, stored: bool, as_json: bool) -> None:
    """Generate, store and list variants of an item, one line each."""
    from drill import render

    collection = _open(ctx)
    the_item = collection.item(item)
    if stored:
        rows = collection.store.saved_variants(item)
        if as_json:
            _emit_json(rows)
        else:
            click.echo(render.stored_variants_table(the_item, rows))
        return
    if the_item.generator is None:
        raise click.UsageError(f"{item} has one version only (no generated variants); "
                               f"see it with `drill show {item}`")
    made = [collection.variant(item, seed) for seed in range(count)]
    if as_json:
        _emit_json([render.variant_json(the_item, v) for v in made])
    else:
        click.echo(render.variants_table(the_item, made))


@cli.command()
@click.argument("item")
@click.option("--seed", type=SEED, default=None,
              help="Which variant (default: a fresh one, its seed printed so you can replay it).")
@click.pass_context
def practice(ctx: click.Context, item: str, seed: int | None) -> None:
    """Answer one item now, without touching your schedule.

    Numeric questions check what you type: a number, a vector like [2, 0] or 2 0, a matrix
    like [[1, 0], [0, 1]] or 1 0; 0 1, a fraction or a small sum such as 1 - 0.01*0.01.
    """
    import sys

    from drill import render
    from drill.variants import fresh_seed

    collection = _open(ctx)
    the_item = collection.item(item)
    variant = collection.variant(item, fresh_seed(the_item) if seed is None else seed)
    width = render.wrap_width(sys.stdout)
    click.echo(render.prompt_text(the_item, variant, width) + "\n")
    try:
        _practice(the_item, variant)
    except click.Abort:
        raise click.ClickException("stopped before an answer was given; nothing was recorded") from None


def _practice(the_item: Item, variant: Variant) -> None:
    """Ask for an answer (a hint and another try on a typo), then show the worked solution."""
    import sys

    from drill import render
    from drill.answers import AnswerError
    from drill.variants import check_typed

    width = render.wrap_width(sys.stdout)
    if variant.mode == "numeric":
        from drill.review_ui import MALFORMED_TRIES

        for attempt in range(MALFORMED_TRIES):
            typed = click.prompt("Your answer", default="", show_default=False)
            try:
                verdict = check_typed(variant, typed)
            except AnswerError as exc:
                last = attempt == MALFORMED_TRIES - 1
                hint = str(exc).rstrip(".")
                click.echo(render.wrapped(f"  {hint}." + ("" if last else " Try again."), width))
                continue
            click.echo(render.wrapped(("✓ " if verdict.correct else "✗ ") + verdict.message, width))
            break
    else:
        click.prompt("Press Enter to see the answer", default="", show_default=False)
    click.echo("\n" + render.solution_text(the_item, variant, width))



@cli.command()
@click.option("--new", "new", type=click.IntRange(min=0, max=1000), default=None,
              help="New items to introduce today at most (default: `drill config new-per-day`, 6).")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Review at most this many cards (re-drills of failed cards still follow).")
@click.option("--item", "item_id", metavar="ID", default=None, help="Only this item, if it is due or new.")
@click.option("--time-box", type=Minutes(low=0.5), default=None, metavar="MINUTES",
              help="Stop handing out cards after this many minutes.")
@click.pass_context
def review(ctx: click.Context, new: int | None, limit: int | None, item_id: str | None,
           time_box: float | None) -> None:
    """Today's review: due cards, new ones, then re-drills of misses.

    Numeric cards check what you type; code cards open your $EDITOR on the starter and run
    drill's checks when you save; recall cards show the answer for you to grade yourself.
    Grades (0-5) follow SM-2. Every grade is saved at once: quit (q) or close the terminal
    at any time and nothing graded is lost; `u` undoes the last grade.
    """
    import sys

    from drill import review_ui, session

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise DrillError("drill review needs an interactive terminal; to script answers, "
                         "use `drill show`, `drill practice` or `drill check`")
    collection = _open(ctx)
    today = session.start(collection, new_limit=new, limit=limit, item=item_id,
                          time_box_minutes=time_box)
    ctx.exit(review_ui.run(today))


@cli.command()
@click.option("--seed", type=SEED, default=None,
              help="Ask the questions of this seed (default: a fresh one, printed); with "
                   "--answers: the seed when the file gives none (default 0).")
@click.option("--answers", "answers_file", metavar="FILE.toml",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Mark a TOML file of answers instead of asking in the terminal.")
@click.option("--time-limit", type=Minutes(low=0.01), default=None,
              metavar="MINUTES", help="Close the attempt when this time runs out.")
@click.option("--history", is_flag=True, help="List your finished attempts, newest first.")
@click.option("--no-record", is_flag=True,
              help="Mark only: keep no attempt and leave the schedule alone.")
@click.option("--json", "as_json", is_flag=True,
              help="With --answers or --history: print JSON (score, total, passed, band, "
                   "advice, seed, items).")
@click.pass_context
def selfcheck(ctx: click.Context, seed: int | None, answers_file: Path | None,
              time_limit: float | None, history: bool, no_record: bool, as_json: bool) -> None:
    """Take the 12-question self-check: one point each, 9 or more is a pass.

    The questions are the deck's 12 items in order: the forward pass and weight decay as
    fresh numbers to type, the six code items in your $EDITOR (checked as `drill check`
    does), and the four concept questions marked by you against the model answer and its
    key points. The first answer counts; text that is not a number gets a hint and another
    try. Bands: ready (9-12), review (7-8), redo (below 7). `q` ends early: the attempt is
    kept as unfinished, without a score.

    Your schedule: every question you miss becomes due on the next learning day at the
    latest; a right answer leaves its schedule as it was.

    --answers FILE.toml marks a file without a terminal: an optional `seed = N`, then an
    [answers] table of item id = answer: a number in quotes for numeric items
    (forward-pass = "2"), the path of a .py file for code items (relative to the answers
    file), and true or false for concept items (your own mark). A missing item counts as
    missed.

    Exit status: 0 for a pass, 1 otherwise, 2 on usage errors. The time limit closes the
    attempt the moment it runs out on Linux and macOS; elsewhere, at the next question.
    """
    from drill import selfcheck_ui

    if history and (answers_file or seed is not None or time_limit or no_record):
        raise click.UsageError("--history lists past attempts; use it without --answers, "
                               "--seed, --time-limit or --no-record")
    if as_json and not (answers_file or history):
        raise click.UsageError("--json goes with --answers or --history")
    if answers_file and time_limit:
        raise click.UsageError("--time-limit is for the terminal; a file of answers is marked at once")
    collection = _open(ctx)
    show = _emit_json if as_json else click.echo
    if history:
        show(selfcheck_ui.history(collection.store, as_json))
    elif answers_file:
        shown, passed = selfcheck_ui.mark_file(collection, answers_file, seed, as_json,
                                               record=not no_record)
        show(shown)
        ctx.exit(0 if passed else 1)
    else:
        ctx.exit(selfcheck_ui.take(collection, seed, time_limit, record=not no_record))


@cli.command()
@DECK
@click.option("--all", "show_all", is_flag=True,
              help="List every item and every leech, in deck order (by default: the 40 "
                   "hardest items and the 10 leeches with the most lapses).")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON, every item included: reviews_per_day, retention, items, "
                   "forecast, streak, total_reviews, anki_reviews, selfcheck.")
@click.pass_context
def stats(ctx: click.Context, deck: str | None, show_all: bool, as_json: bool) -> None:
    """Your progress: heatmap, retention, leeches, forecast, streak.

    The items table lists the hardest items first when there are more than fit a screen;
    `--all` lists them all, in deck order.
    """
    from drill import stats as stats_mod

    collection = _open(ctx)
    store = collection.store
    shown = None if show_all or as_json else stats_mod.ITEMS_SHOWN
    figures = stats_mod.compute(store, store.today(), collection.deck_name(deck), shown)
    if as_json:
        _emit_json(stats_mod.to_json(figures), default=stats_mod.json_default)
    else:
        from rich.console import Console

        from drill.render import console_options

        console = Console(highlight=False, **console_options())  # rich alone trusts COLUMNS=0
        console.print(stats_mod.render(figures, console.width))


@cli.command()
@click.pass_context
def undo(ctx: click.Context) -> None:
    """Undo the latest grade (also after a review session has ended)."""
    from drill.session import undo_last

    undone = undo_last(_open(ctx))
    given = undone["reviewed_at"].replace("T", " ")[:16]
    click.echo(f"Undid grade {undone['quality']} for {undone['item_id']} "
               f"(given {given}); the card is back to where it was.")


@cli.command()
@click.argument("item")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--seed", type=SEED, default=None,
              help="Seed of the random cases (default: a fresh one, printed so you can replay it).")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON: passed, cases (name, passed, message), seed, hint, output, isolation.")
@click.pass_context
def check(ctx: click.Context, item: str, file: Path, seed: int | None, as_json: bool) -> None:
    """Run your code answer to a code item against drill's checks.

    Your code runs in a separate Python process with limits on time, memory and file size.
    On Linux, where the kernel offers user namespaces and Landlock, it is also contained: no
    network, no reading your files or writing outside its own folder, and nothing it starts
    outlives the check (README: "What a check contains"). The report says which protections
    were missing; `--json` lists those in force as `isolation`. Exit status: 0 when every case
    passes, 1 when any fails, 2 on usage errors. Start from `drill show ITEM`'s starter.
    """
    import secrets
    import sys

    from drill import render
    from drill.checker import Sandbox

    # Started first: its Python imports NumPy while we get ready. A polite kill unwinds
    # through it (see _polite_kills_unwind), so the sandbox is cleaned up.
    with Sandbox() as sandbox:
        the_item = _code_item(ctx, item)
        report = sandbox.check_file(the_item, file, secrets.randbelow(2**31) if seed is None else seed)
    if as_json:
        _emit_json(report.as_json())
    else:
        click.echo(render.report_text(the_item, report, file, render.wrap_width(sys.stdout)))
    ctx.exit(0 if report.passed else 1)


def _code_item(ctx: click.Context, item_id: str) -> Item:
    """The code item `item_id`; anything else is a usage error (exit 2)."""
    from drill.errors import UnknownItemError

    collection = _open(ctx)
    code_items = [i.id for d in collection.decks.values() for i in d.items if i.kind == "code"]
    try:
        item = collection.item(item_id)
    except UnknownItemError:
        raise click.BadParameter(
            f"there is no item {item_id!r}; code items: {', '.join(code_items)}",
            param_hint="ITEM") from None
    if item.kind != "code":
        raise click.BadParameter(
            f"{item_id} is a {item.kind} item; code items: {', '.join(code_items)}",
            param_hint="ITEM")
    return item


@cli.group(cls=DrillGroup, invoke_without_command=True)
@click.pass_context
def decks(ctx: click.Context) -> None:
    """List decks; add your own, trust their code, check them.

    Deck folders can hold Python (variant generators, references, checks). drill runs it
    only from its built-in deck and from folders whose code you agreed to: `drill decks add`
    lists the files and asks first. Your answers are kept per user, outside any database,
    in trusted-decks.json in your config folder (DRILL_CONFIG_DIR overrides it; `drill decks
    trust` prints where), so a database from someone else (--db, `drill restore`) never runs
    code you have not seen.

    When a deck's code changes, or a database names a deck you never trusted, drill does not
    stop to ask in the middle of another command: it leaves the deck out with a warning, and
    `drill decks trust NAME` shows what changed and asks.
    """
    if ctx.invoked_subcommand is None:
        from drill import render

        click.echo(render.decks_table(_open(ctx).decks.values()))


YES = click.option("--yes", "-y", is_flag=True,
                   help="Run the deck's code without asking (for scripts; read its files first).")


def _agreed(review: DeckReview, question: str, yes: bool) -> bool:
    """Show the code a deck would run, then ask (unless --yes); no terminal and no --yes is
    an error, never a silent yes."""
    import sys

    for line in review.describe():
        click.echo(line)
    if yes:
        return True
    if not sys.stdin.isatty():
        raise DrillError("drill asks before it runs a deck's code, and there is no terminal to "
                         "ask in; read the files listed, then pass --yes")
    return click.confirm(question, default=False)


@decks.command(name="add")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@YES
@click.pass_context
def decks_add(ctx: click.Context, path: Path, yes: bool) -> None:
    """Check a deck folder, then, if you agree, run its code once and add it.

    The folder is checked first without running anything (TOML, layout, Python that
    compiles). Then drill lists its Python files with their sizes and the SHA-256 of its
    code and asks "Run this deck's code and add it?"; your yes is remembered for this
    folder and this code (see `drill decks --help`). A deck without Python is added
    without asking. The folder stays where it is: edits to its text are picked up next
    time; edits to its code wait for `drill decks trust NAME`.
    """
    from drill.collection import add_deck, review_new_deck

    collection = _open(ctx)
    review = review_new_deck(collection, path)
    if review.needs_consent and not _agreed(review, "Run this deck's code and add it?", yes):
        click.echo("Not added: its code was not run and nothing was changed.")
        ctx.exit(1)
    deck, counts = add_deck(collection, review)
    count = len(deck.items)
    click.echo(f"Added deck {deck.name!r} from {deck.folder}: {count} item{'s' * (count != 1)} "
               f"({counts['added']} new to your collection).")


@decks.command(name="trust")
@click.argument("name", required=False)
@YES
@click.pass_context
def decks_trust(ctx: click.Context, name: str | None, yes: bool) -> None:
    """Review an added deck's code again and trust it as it is now.

    For a deck left out because its code changed since you trusted it (the changed, added
    and removed files are listed), or because it came with a database and you never
    trusted it. Without NAME: where your list of trusted folders lives, and what is in it.
    """
    from drill.collection import add_deck, review_added_deck

    if name is None:
        from drill import trust

        trusted = trust.entries()
        click.echo(f"Deck folders you trust ({trust.list_path()}):" if trusted else
                   f"You trust no deck folders yet (the list lives in {trust.list_path()}).")
        for entry in trusted.values():
            click.echo(f"  {entry.folder}  {len(entry.files)} Python files, SHA-256 "
                       f"{entry.sha256[:16]}..., since {entry.trusted_at[:10]}")
        return
    collection = _open(ctx, reviewing=name)
    review = review_added_deck(collection, name)
    if not review.needs_consent and name in collection.decks:
        click.echo(f"Deck {name!r}: its code is as you trusted it; nothing to review.")
        return
    if review.needs_consent and not _agreed(review, "Run this deck's code and trust it?", yes):
        click.echo(f"Not trusted: deck {name!r} stays left out and its code was not run.")
        ctx.exit(1)
    deck, _ = add_deck(collection, review)
    click.echo(f"Trusted deck {deck.name!r} in {deck.folder}; its items are back in your collection.")


@decks.command(name="remove")
@click.argument("name")
@click.pass_context
def decks_remove(ctx: click.Context, name: str) -> None:
    """Stop studying an added deck and stop trusting its folder; its review history is kept.

    Adding the folder again (to this or any database) asks again before its code runs.
    """
    from drill.collection import remove_deck

    retired, forgotten = remove_deck(_open(ctx), name)
    click.echo(f"Removed deck {name!r}; {retired} items retired, their history kept."
               + (" Its folder is no longer trusted." if forgotten else ""))


@decks.command(name="check")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path), required=False)
@click.option("--run", "run_code", is_flag=True,
              help="Also run the code of a deck you have not trusted, after asking.")
@YES
@click.pass_context
def decks_check(ctx: click.Context, path: Path | None, run_code: bool, yes: bool) -> None:
    """Check a deck folder (default: the built-in deck) and list every problem.

    Without running anything: TOML, layout, required files, Python that compiles. The code
    (generators over many seeds, references against their examples) runs too for the
    built-in deck and for code you trusted; for any other folder only with --run, after
    drill lists the files and asks (or --yes).
    """
    from drill.collection import check_deck, review_deck

    if yes and not run_code:
        raise click.UsageError("--yes goes with --run")
    review = review_deck(path) if path is not None else None
    run = review is None or not review.needs_consent or (
        run_code and not review.problems and _agreed(review, "Run this deck's code and check it?", yes))
    problems = check_deck(review, run)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        raise click.ClickException(
            f"{len(problems)} problem{'s' * (len(problems) != 1)} found"
            f"{'' if run else ' (its code was not run)'}; fix them and check again")
    if run or review is None:  # (no review: the built-in deck, whose code always runs)
        click.echo("No problems found.")
    else:
        click.echo(f"No problems found in its files; its code was not run (you have not trusted "
                   f"it as it is now): `drill decks check {review.folder} --run` runs it too.")


@cli.command()
@click.argument("key", required=False)
@click.argument("value", required=False)
@click.pass_context
def config(ctx: click.Context, key: str | None, value: str | None) -> None:
    """Show or change settings (the day start, new items per day).

    Example: `drill config day-start 3`.

    day-start: the hour (0-23) a learning day begins; reviews before it count for the day
    before. Default 4.

    new-per-day: how many new items `drill review` introduces per day. Default 6.
    """
    from drill.settings import describe, set_value

    collection = _open(ctx)
    if key is not None and value is not None:
        set_value(collection.store, key, value)
    for line in describe(collection.store, key):
        click.echo(line)


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.pass_context
def backup(ctx: click.Context, path: Path | None) -> None:
    """Copy the database safely, even while another drill is running.

    Without PATH the copy goes to the backups folder beside the database (see `drill where`).
    """
    store = _open(ctx).store
    target = store.backup_to(path)
    click.echo(f"Backed up {store.path} to {target}")


@cli.group()
def export() -> None:
    """Export the items: an Anki deck (.apkg) or printable practice sheets (.html)."""


@export.command(name="anki")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .apkg file to write (any name but collection.apkg).")
@click.option("--variants", type=click.IntRange(min=1, max=20), default=5, show_default=True,
              help="Cards per item that has variants: its own version plus fresh variants "
                   "(numeric items, and the numeric practice of concept and code items). "
                   "Never fewer than an earlier export gave: Anki cannot take a card away, "
                   "so an emptied variant would be a blank card.")
@click.option("--items", "item_ids", metavar="ID,...", default=None,
              help="Only these items, comma-separated (default: all).")
@click.pass_context
def export_anki(ctx: click.Context, output: Path, variants: int, item_ids: str | None) -> None:
    """Write the items to an Anki package; importing a newer one updates the cards in place.

    Study it on a phone with AnkiDroid or AnkiMobile. When importing, tick "Import any deck
    presets" (drill's deck options bury sibling variants, so one variant of an item shows per
    day) and, after an update of drill that adds fields, "Merge note types". drill remembers
    what each export wrote, so a changed card always reaches the phone and an item removed
    from drill is tagged drill::retired there.
    """
    import sys
    from contextlib import nullcontext

    from drill import clock
    from drill.anki_identity import NoteRecord
    from drill.session import DEFAULT_NEW_PER_DAY

    exporter = _exporter("anki")
    exporter.check_path(output)  # before any progress is shown
    collection = _open(ctx)
    store = collection.store
    history = [NoteRecord(**row) for row in store.anki_notes()]
    new_per_day = int(store.setting("new_per_day", str(DEFAULT_NEW_PER_DAY)))
    decks = list(collection.decks.values())
    items = item_ids.split(",") if item_ids is not None else None
    size = variants * (len(items) if items is not None else sum(len(d.items) for d in decks))
    bar = click.progressbar(length=size, label="Building cards", file=sys.stderr)
    with bar if size >= 100 else nullcontext() as shown:

        def progress(done: int, total: int) -> None:
            if shown is not None:
                shown.length = total
                shown.update(done - shown.pos)

        summary = exporter().export(
            decks, output, variants=variants, items=items, history=history,
            note_types=store.anki_note_types(),
            retired=store.retired_items(but_decks=collection.broken),
            now=int(clock.now().timestamp()), new_per_day=new_per_day, progress=progress,
            database=store.path,
        )
    if store.read_only is None:
        store.save_anki_notes([record.as_row() for record in summary["records"]],
                              summary["note_types"])
    else:
        click.echo(f"Note: this export is not remembered ({store.read_only}), so the next one "
                   "cannot tell what changed or how many variants the phone has.", err=True)
    click.echo(f"Wrote {summary['notes']} notes ({summary['cards']} cards) to {summary['path']}.")
    kept, retired = len(summary["kept"]), summary["retired"]
    if kept:
        most = max(summary["kept"].values())
        click.echo(f"Kept up to {most} variants for {kept} {'item' if kept == 1 else 'items'} "
                   f"that an earlier export gave more than {variants}: Anki cannot take cards "
                   "away, so fewer would leave blank cards (suspend the extra ones in Anki).")
    if retired:
        click.echo(f"Tagged drill::retired: {retired} {'note' if retired == 1 else 'notes'} of "
                   "items no longer in drill (in Anki, search tag:drill::retired to suspend "
                   "or delete them).")


@export.command(name="html")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .html file to write; open it in a browser and print it.")
@click.option("--seed", type=SEED, default=None,
              help="The first sheet's seed (printed on it, so it can be reprinted). Default: a fresh one.")
@click.option("--sheets", type=click.IntRange(min=1, max=50), default=1, show_default=True,
              help="Different sheets in one file, each with its own key; sheet k uses seed + k - 1.")
@click.option("--items", "item_ids", metavar="ID,...", default=None,
              help="Only these items, comma-separated (default: all; not with --selfcheck).")
@click.option("--answers", type=click.Choice(["end", "separate", "none"]), default="end",
              show_default=True, help="The answer key after each sheet, in FILE-key.html, or none.")
@click.option("--selfcheck", is_flag=True,
              help="Print the self-check instead: the 12 items as `drill selfcheck --seed N` "
                   "asks them, the pass mark and bands, and a key that starts with a one-page "
                   "answer list.")
@click.pass_context
def export_html(ctx: click.Context, output: Path, seed: int | None, sheets: int,
                item_ids: str | None, answers: str, selfcheck: bool) -> None:
    """Write printable practice sheets: fresh variants, room to work, and an answer key.

    One self-contained HTML file (no scripts, nothing from the network): open it in a browser
    and print it. Each sheet shows the date (DRILL_NOW sets it) and its seed; `--seed` with
    that seed prints the very same sheet again. With --selfcheck, the self-check on paper.
    """
    if selfcheck and item_ids is not None:
        raise click.UsageError("--items cannot be used with --selfcheck: the self-check asks "
                               "all 12 items; drop --items, or print a practice sheet of them.")
    collection = _open(ctx)
    exporter = _exporter("html")()
    summary = exporter.export(
        list(collection.decks.values()), output,
        seed=exporter.new_seed() if seed is None else seed, sheets=sheets,
        items=item_ids.split(",") if item_ids is not None else None, answers=answers,
        today=collection.store.today(), selfcheck=selfcheck, database=collection.store.path,
    )
    noun, key = ("self-check paper", "answer list and worked solutions") if selfcheck else (
        "sheet", "answer key")
    count = f"1 {noun}" if summary["sheets"] == 1 else f"{summary['sheets']} {noun}s"
    where = {"end": f"{key} after each {noun.split()[-1]}", "none": "no answer key"}.get(
        answers, f"{key} in {summary['key_path']}")
    mark = f", pass mark {summary['pass_mark']} of {summary['questions']}" if selfcheck else ""
    click.echo(f"Wrote {count} of {summary['questions']} questions (seed {summary['seed']}{mark}) "
               f"to {summary['path']}; {where}.")


@cli.group(name="import")
def import_group() -> None:
    """Bring back work done elsewhere: reviews done in Anki."""


@import_group.command(name="anki")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True,
              help="Show what would be imported (per item: reviews, days, the card before and "
                   "after) and write nothing.")
@click.pass_context
def import_anki(ctx: click.Context, file: Path, dry_run: bool) -> None:
    """Add the reviews you did in Anki to drill's log, so one schedule covers both.

    FILE is a package exported from Anki with "Include scheduling information" ticked
    (.apkg, in the current or the older format, or a .colpkg). Reviews of drill's notes join
    drill's own by time, and each card is rebuilt from the merged log; importing the same
    reviews again adds nothing. The database is backed up first.
    """
    from drill import clock
    from drill.anki_import import import_reviews

    imported = import_reviews(_open(ctx).store, file, clock.now(), dry_run=dry_run)
    plan, summary = imported.plan, imported.summary
    if summary is None:
        skipped = f"; {plan.manual} manual reschedules left out" if plan.manual else ""
        click.echo(f"Nothing new to import: the {len(plan.reviews)} reviews of drill's cards in "
                   f"{file.name} are all in drill's log already{skipped}.")
        return
    for item_id, done in sorted(summary["items"].items()):
        before, after = done["before"], done["after"]
        reviews = f"{done['reviews']} review{'s' if done['reviews'] != 1 else ''}"
        click.echo(f"  {item_id}: {reviews}, {done['first']} to {done['last']}; due "
                   f"{before[3] or 'new'} -> {after[3] or 'new'}, interval {before[1]} -> "
                   f"{after[1]} day{'s' if after[1] != 1 else ''}")
    left = []
    if summary["known"]:
        left.append(f"{summary['known']} already imported")
    if plan.manual:
        left.append(f"{plan.manual} manual reschedules left out (drill schedules by grades)")
    tail = f" ({'; '.join(left)})" if left else ""
    if dry_run:
        click.echo(f"Would import {summary['added']} reviews for {len(summary['items'])} items"
                   f"{tail}. Nothing was written (dry run).")
    else:
        click.echo(f"Imported {summary['added']} reviews for {len(summary['items'])} items"
                   f"{tail}. Backed up first to {imported.backup}.")


@overload
def _exporter(name: Literal["anki"]) -> type[AnkiExport]: ...
@overload
def _exporter(name: Literal["html"]) -> type[SheetExport]: ...
def _exporter(name: str) -> type[Exporter]:
    """An exporter class from the `drill.exporters` entry points (built-ins are there too),
    taken to offer what drill.plugins describes for its name."""
    from importlib.metadata import entry_points

    found = {ep.name: ep for ep in entry_points(group="drill.exporters")}
    if name not in found:
        raise DrillError(f"no exporter {name!r} is installed (found: {', '.join(sorted(found)) or 'none'}); "
                         "reinstall drill with `pip install .`")
    exporter: type[Exporter] = found[name].load()
    return exporter


@cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def restore(ctx: click.Context, path: Path) -> None:
    """Put a backup in place of the database, whatever state the database is in.

    The state before is kept first: a sound database as a backup (before-restore) in the
    backups folder; a damaged, empty or unreadable file set aside there as *.damaged.
    """
    from drill.restore import restore as restore_backup

    db_path, kept, damaged = restore_backup(ctx.obj["db"], path)
    before = (f" The damaged file it replaces is kept in {kept}." if damaged else
              f" The state before is kept in {kept}." if kept else "")
    click.echo(f"Restored {db_path} from {path}.{before}")


@cli.command()
@click.option("--repair", is_flag=True,
              help="Rebuild cards whose state does not match their review log and recount the "
                   "running tallies from it (runs the full check).")
@click.option("--full", is_flag=True,
              help="SQLite's complete integrity check, which also compares every index with its "
                   "table, instead of its quick check: several times slower on a long review log.")
@click.option("--all", "show_all", is_flag=True, help="List every problem (by default: the first 20).")
@click.pass_context
def doctor(ctx: click.Context, repair: bool, full: bool, show_all: bool) -> None:
    """Check the database: integrity, text, links, stored items, every card against its
    review log, and the running tallies `drill stats` reads."""
    from drill import doctor as health

    collection = _open(ctx)
    full = full or repair  # never rebuild cards from a log read through a damaged index
    findings = health.examine(collection.store, full=full)
    for line in health.listing(findings, None if show_all else health.SHOWN):
        click.echo(line)
    mendable = ("card", "content", "tally")
    if repair and any(f.what in mendable for f in findings):
        mended = health.mend(collection)
        if mended["items"]:
            click.echo(f"Reloaded {mended['items']} item(s) from their decks.")
        click.echo(f"Rebuilt {mended['cards']} card(s) from the review log.")
        if mended["tallies"]:
            count = mended["tallies"]
            click.echo(f"Recounted {count} running tall{'y' if count == 1 else 'ies'} "
                       "from the review log.")
        findings = health.examine(collection.store, full=full)
    if findings:
        can_mend = not repair and any(f.what in mendable for f in findings)
        raise click.ClickException(
            f"{len(findings)} problem{'s' * (len(findings) != 1)} found; "
            + ("`drill doctor --repair` mends cards, stored items and tallies, " if can_mend else "")
            + "`drill restore` puts a backup back")
    check = "full integrity check" if full else "quick integrity check"
    click.echo(f"{collection.store.path} is healthy: {check} ok, every card matches its review log.")


@cli.command()
@click.pass_context
def where(ctx: click.Context) -> None:
    """Print where the database and its backups live."""
    from drill.database import backups_dir, default_db_path

    path = ctx.obj["db"] or default_db_path()
    click.echo(f"database: {path}")
    click.echo(f"backups:  {backups_dir(Path(path))}")


def main(prog_name: str | None = None) -> None:
    """Run the command line."""
    import codecs
    import sys

    # Never a crash over a character (click and rich write through these very streams):
    # output in an encoding that cannot show everything (a Windows redirect in cp1252,
    # PYTHONIOENCODING=ascii) shows ? instead; strict UTF-8 writes a file name's undecodable
    # bytes back as they were; input that does not decode reads as U+FFFD, a wrong answer.
    for name in ("stdin", "stdout", "stderr"):
        stream = getattr(sys, name)
        try:
            codec = codecs.lookup(stream.encoding).name
            reconfigure = stream.reconfigure
        except (AttributeError, LookupError, TypeError):
            continue  # no stream (pythonw), or not a text file of Python's making
        if name == "stdin":
            if stream.errors == "strict":
                reconfigure(errors="replace")
        elif codec == "ascii":
            # Click takes a stream called "ascii" for a broken locale and writes UTF-8 to it:
            # the same codec under another name makes it write ASCII, as asked.
            try:
                codecs.lookup("drill-ascii")
            except LookupError:
                ascii_ = codecs.lookup("ascii")
                renamed = codecs.CodecInfo(
                    ascii_.encode, ascii_.decode, ascii_.streamreader, ascii_.streamwriter,
                    ascii_.incrementalencoder, ascii_.incrementaldecoder, name="drill-ascii")
                def search(wanted: str, info: codecs.CodecInfo = renamed) -> codecs.CodecInfo | None:
                    return info if wanted == "drill_ascii" else None

                codecs.register(search)
            reconfigure(encoding="drill-ascii", errors="replace")
        elif not codec.startswith("utf"):
            reconfigure(errors="replace")
        elif codec == "utf-8" and stream.errors == "strict":
            reconfigure(errors="surrogateescape")
    from drill.errors import Stopped

    try:
        cli(prog_name=prog_name or "drill")
    except Stopped as stop:  # SIGTERM or SIGHUP, once everything has unwound
        sys.exit(stop.code)
    except Exception:
        # A signal that lands inside C code (an import, say) can surface as another error
        # once the stop has unwound everything; it is still the kill that ended the command.
        if Stopped.received is not None:
            sys.exit(128 + Stopped.received)
        raise
