"""The learner's progress: reviews per day, retention, leeches, the due forecast, the streak.

`compute` asks SQLite for the figures and returns plain data; `to_json` picks what `drill
stats --json` prints; `render` draws it for the terminal with rich, imported only when
something is drawn.

Only grades that still count (not undone) are counted. Reviews per day, the streak and the
total count every live grade, same-day re-drills included: they are work done. Retention
leaves re-drills out, since a re-drill repeats a card just seen. The per-item table lists
the active items; the history figures (reviews per day, overall retention, streak, total)
also count items that have since been retired.

The sums come from the running tallies (`item_tallies`, `day_tallies`: schema 8), which
triggers keep in step with the review log, so no query walks a million reviews; only a
deck's reviews per day are summed from the log (its day index). The per-item figures can
cover just a screenful: the hardest items and the leeches with the most lapses.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from drill.database import translate_errors

if TYPE_CHECKING:
    import sqlite3

    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from drill.store import Store

LEECH_LAPSES = 3
HEATMAP_WEEKS = 26
FORECAST_DAYS = 30
FAILED_VARIANTS_SHOWN = 3
ITEMS_SHOWN = 40  # rows of the items table, unless --all
LEECHES_SHOWN = 10  # leeches listed with their failed variants, unless --all
FULL_TABLE_WIDTH = 68

# Cell characters by level, so the heatmap reads without colour; colours as GitHub's dark theme.
HEAT_CHARS = "·░▒▓█"
HEAT_STYLES = ("grey42", "#0e4429", "#006d32", "#26a641", "#39d353")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_IN_DECK = "(:deck IS NULL OR i.deck = :deck)"


def heatmap_start(today: date, weeks: int = HEATMAP_WEEKS) -> date:
    """The Monday that opens a `weeks`-week heatmap ending in the week of `today`."""
    return today - timedelta(days=today.weekday() + 7 * (weeks - 1))


def heat_level(count: int, peak: int) -> int:
    """The heatmap level (0-4) of a day's count, in quarters of the busiest day's count."""
    if count <= 0 or peak <= 0:
        return 0
    return min(4, max(1, math.ceil(4 * count / peak)))


def compute(store: Store, today: date, deck: str | None = None,
            shown: int | None = None) -> dict[str, Any]:
    """Progress figures for the learning day `today`, optionally for one deck.

    With `shown`, the per-item figures cover only what a person reads: the `shown` hardest
    items (every item, in deck order, when there are no more than that) and the
    LEECHES_SHOWN leeches with the most lapses; `item_count` and `leech_count` say how many
    there are in all. Without it, every item is there, in deck order.
    """
    start = heatmap_start(today)
    args = {
        "today": today.isoformat(),
        "start": start.isoformat(),
        "last": (today + timedelta(days=FORECAST_DAYS - 1)).isoformat(),
        "deck": deck,
        "leech": LEECH_LAPSES,
        "shown": FAILED_VARIANTS_SHOWN,
    }
    active = _active_cards(deck)
    with _snapshot(store):
        conn = store.conn
        item_count, leech_count = conn.execute(
            f"SELECT COUNT(*), COALESCE(SUM(c.lapses >= :leech), 0) {active}", args).fetchone()
        if shown is None or item_count <= shown:
            rows = _item_rows(conn, args, f"ORDER BY {_DECK_ORDER}")
        else:  # the hardest: lowest EF, then most lapses
            rows = _item_rows(conn, args, _first(
                active, "c.easiness_milli, c.lapses DESC, c.item_id", shown))
        if shown is None:
            leech_rows = [row for row in rows if row[5] >= LEECH_LAPSES]
        else:
            leech_rows = _item_rows(conn, args, _first(
                f"{active} AND c.lapses >= :leech", "c.lapses DESC, c.item_id", LEECHES_SHOWN))
        per_day = _per_day(conn, args)
        total, graded, correct, from_anki = conn.execute(
            "SELECT COALESCE(SUM(t.reviews), 0), COALESCE(SUM(t.graded), 0), "
            "COALESCE(SUM(t.correct), 0), COALESCE(SUM(t.anki), 0) FROM item_tallies t"
            + ("" if deck is None else " JOIN items i ON i.id = t.item_id WHERE i.deck = :deck"),
            args,
        ).fetchone()
        failed = _failed_variants(conn, args, None if shown is None else
                                  [row[0] for row in leech_rows])
        due_by_day = dict(conn.execute(
            f"SELECT MAX(c.due, :today), COUNT(*) {active} AND c.due <= :last GROUP BY 1",
            args).fetchall())
        streak = store.streak(today, deck)
        latest = store.selfcheck_attempts(limit=1)

    items: list[dict[str, Any]] = []
    item_retention: list[dict[str, Any]] = []
    for item_id, title, ef, interval, reps, lapses, due, n_correct, n_total in rows:
        item_retention.append({"id": item_id, **_rate(n_correct, n_total)})
        items.append(_item(item_id, title, ef, interval, reps, lapses, due, failed))
    leeches = ([item for item in items if item["leech"]] if shown is None
               else [_item(*row[:7], failed) for row in leech_rows])
    days = [today + timedelta(days=n) for n in range(FORECAST_DAYS)]
    return {
        "today": today,
        "deck": deck,
        "window": {"start": start, "end": today},
        "reviews_per_day": [{"day": date.fromisoformat(d), "count": n, "anki": a}
                            for d, n, a in per_day],
        "retention": {"overall": _rate(correct, graded), "items": item_retention},
        "items": items,
        "item_count": item_count,
        "leeches": leeches,
        "leech_count": leech_count,
        "forecast": [{"day": d, "due": due_by_day.get(d.isoformat(), 0)} for d in days],
        "streak": streak,
        "total_reviews": total,
        "anki_reviews": from_anki,  # of those, done in Anki (drill import anki)
        "selfcheck": _latest_selfcheck(latest[0]) if latest else None,
    }


# The order items are listed in everywhere: the built-in deck first, then by deck and place.
_DECK_ORDER = "i.deck != 'dl_foundations', i.deck, i.position, i.id"

# An active item's row: id, title, EF (thousandths), interval, repetitions, lapses, due day,
# correct and graded reviews.
ItemRow = tuple[str, str, int, int, int, int, str | None, int, int]


def _active_cards(deck: str | None) -> str:
    """FROM and WHERE for the cards of active items (`c`), of one deck or all: without a
    deck, `cards.active` (kept by a trigger, indexed) spares a visit to every item."""
    if deck is None:
        return "FROM cards c WHERE c.active = 1"
    return "FROM cards c JOIN items i ON i.id = c.item_id WHERE i.retired_at IS NULL AND i.deck = :deck"


def _first(active: str, order: str, count: int) -> str:
    """The tail of `_item_rows` for the first `count` active cards in `order` (over `c`)."""
    return (f"AND i.id IN (SELECT c.item_id {active} ORDER BY {order} LIMIT {int(count)}) "
            f"ORDER BY {order}")


def _item_rows(conn: sqlite3.Connection, args: dict[str, Any], tail: str) -> list[ItemRow]:
    """(id, title, EF, interval, repetitions, lapses, due, correct, graded) of active items."""
    rows: list[ItemRow] = conn.execute(
        f"""
        SELECT i.id, i.title, c.easiness_milli, c.interval, c.repetitions, c.lapses, c.due,
               COALESCE(t.correct, 0), COALESCE(t.graded, 0)
        FROM items i JOIN cards c ON c.item_id = i.id
        LEFT JOIN item_tallies t ON t.item_id = i.id
        WHERE i.retired_at IS NULL AND {_IN_DECK} {tail}
        """,
        args,
    ).fetchall()
    return rows


def _item(item_id: str, title: str, ef: int, interval: int, reps: int, lapses: int, due: str | None,
          failed: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {
        "id": item_id,
        "title": title,
        "easiness": ef / 1000,
        "interval": interval,
        "repetitions": reps,
        "lapses": lapses,
        "due": date.fromisoformat(due) if due else None,
        "leech": lapses >= LEECH_LAPSES,
        "failed_variants": failed.get(item_id, []),
    }


def _per_day(conn: sqlite3.Connection, args: dict[str, Any]) -> list[tuple[str, int, int]]:
    """(day, reviews, from Anki) for each day of the heatmap's window with a review."""
    rows: list[tuple[str, int, int]]
    if args["deck"] is None:  # the running tallies: a row per day
        rows = conn.execute(
            "SELECT day, reviews, anki FROM day_tallies "
            "WHERE day BETWEEN :start AND :today AND reviews > 0 ORDER BY day",
            args,
        ).fetchall()
        return rows
    rows = conn.execute(
        f"""
        SELECT r.day, COUNT(*), COALESCE(SUM(r.source = 'anki'), 0)
        FROM live_reviews r JOIN items i ON i.id = r.item_id
        WHERE r.day BETWEEN :start AND :today AND {_IN_DECK}
        GROUP BY r.day ORDER BY r.day
        """,
        args,
    ).fetchall()
    return rows


def _latest_selfcheck(attempt: dict[str, Any]) -> dict[str, Any]:
    return {"score": attempt["score"], "total": attempt["total"], "band": attempt["band"],
            "passed": attempt["band"] == "ready", "seed": attempt["seed"],
            "day": date.fromisoformat(attempt["day"])}


@contextmanager
def _snapshot(store: Store) -> Iterator[None]:
    """Read everything from one snapshot, so a grade landing meanwhile cannot skew the sums."""
    with translate_errors(store.path):
        began = not store.conn.in_transaction
        if began:
            store.conn.execute("BEGIN")  # deferred: in WAL mode, readers block no one
        try:
            yield
        finally:
            if began and store.conn.in_transaction:
                store.conn.execute("COMMIT")


def _rate(correct: int, total: int) -> dict[str, Any]:
    return {"correct": correct, "total": total, "rate": correct / total if total else None}


def _failed_variants(conn: sqlite3.Connection, args: dict[str, Any],
                     only: list[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """For each leech (or each of `only`), the seeds of its failed grades, most recent
    first, with their params."""
    found: dict[str, list[dict[str, Any]]] = {}
    if only is not None and not only:
        return found
    leeches = f"SELECT c.item_id {_active_cards(args['deck'])} AND c.lapses >= :leech"
    params = dict(args)
    if only is not None:
        params.update({f"only{n}": item_id for n, item_id in enumerate(only)})
        leeches += f" AND c.item_id IN ({', '.join(f':only{n}' for n in range(len(only)))})"
    # Driven from the leeches (CROSS JOIN keeps that order), each reading only its own
    # failed grades through the reviews_failed index.
    rows = conn.execute(
        f"""
        WITH leeches AS ({leeches}), failed AS (
            SELECT r.item_id, r.seed, COUNT(*) AS failures, MAX(r.id) AS last_id,
                   MAX(r.day) AS last_day
            FROM leeches l CROSS JOIN reviews r ON r.item_id = l.item_id
            WHERE r.quality < 3 AND r.redrill = 0
                  AND NOT EXISTS (SELECT 1 FROM undos u WHERE u.review_id = r.id)
            GROUP BY r.item_id, r.seed
        ), ranked AS (
            SELECT *, ROW_NUMBER() OVER (PARTITION BY item_id ORDER BY last_id DESC) AS place
            FROM failed
        )
        SELECT f.item_id, f.seed, f.failures, f.last_day, v.params
        FROM ranked f LEFT JOIN variants v ON v.item_id = f.item_id AND v.seed = f.seed
        WHERE f.place <= :shown
        ORDER BY f.item_id, f.place
        """,
        params,
    )
    for item_id, seed, failures, last_day, params_json in rows:
        found.setdefault(item_id, []).append(
            {
                "seed": seed,
                "params": json.loads(params_json) if params_json is not None else None,
                "failures": failures,
                "last_day": date.fromisoformat(last_day),
            }
        )
    return found


# What `drill stats --json` holds (the per-item lists are complete there).
JSON_KEYS = ("today", "deck", "window", "reviews_per_day", "retention", "items", "forecast",
             "streak", "total_reviews", "anki_reviews", "selfcheck")


def to_json(stats: dict[str, Any]) -> dict[str, Any]:
    """What `drill stats --json` prints of the figures from `compute` (without `shown`);
    dates stay dates: `json.dumps(..., default=json_default)` writes them as ISO strings."""
    return {key: stats[key] for key in JSON_KEYS}


def json_default(value: object) -> str:
    """Dates as ISO strings, for `json.dumps`."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


# -- rendering ---------------------------------------------------------------------------


def render(stats: dict[str, Any], width: int = 80) -> Group:
    """The figures from `compute` as one rich renderable, `width` columns wide at most."""
    from rich.console import Group
    from rich.text import Text

    blank = Text("")
    parts: list[Text | Table] = []
    if stats["deck"]:
        parts += [Text(f"Deck: {stats['deck']}", style="bold"), blank]
    parts += [_heading("Streak"), _streak_line(stats), blank]
    parts += [_heading("Self-check"), _selfcheck_line(stats), blank]
    parts += [_heading("Reviews per day"), *_heatmap(stats, width), blank]
    parts += [_heading("Retention"), _retention_line(stats), blank]
    parts += [_heading("Items"), *_items_note(stats), _items_table(stats, width),
              *_leeches(stats, width)]
    parts += [_heading(f"Due forecast (next {FORECAST_DAYS} days)"), *_forecast(stats, width)]
    return Group(*parts)


def _heading(title: str) -> Text:
    from rich.text import Text

    return Text(title, style="bold underline")


def _streak_line(stats: dict[str, Any]) -> Text:
    from rich.text import Text

    days = stats["streak"]
    total = stats["total_reviews"]
    line = Text()
    line.append(f"{days} day{'s' if days != 1 else ''}", style="bold")
    reviewed_today = any(row["day"] == stats["today"] for row in stats["reviews_per_day"])
    if not days:
        line.append(" (review today to start one)")
    elif reviewed_today:
        line.append(" in a row")
    else:
        line.append(" in a row, up to yesterday: review today to keep it")
    line.append(f" · {total} review{'s' if total != 1 else ''} in total")
    if stats.get("anki_reviews"):
        line.append(f", {stats['anki_reviews']} of them in Anki")
    return line


def _selfcheck_line(stats: dict[str, Any]) -> Text:
    from rich.text import Text

    latest = stats.get("selfcheck")
    if latest is None:
        return Text("not taken yet: `drill selfcheck` asks all 12 questions (pass mark 9)")
    line = Text()
    line.append(f"{latest['score']}/{latest['total']}", style="bold")
    verdict = "a pass" if latest["passed"] else "not yet a pass"
    line.append(f" on {latest['day'].isoformat()}, {verdict} (band {latest['band']}); "
                "see `drill selfcheck --history`")
    return line


def _heatmap(stats: dict[str, Any], width: int) -> list[Text]:
    """Weeks as columns, Monday to Sunday as rows, month labels above, a legend below."""
    from rich.text import Text

    today = stats["today"]
    label_width, cell_width = 4, 2
    weeks = max(1, min(HEATMAP_WEEKS, (width - label_width) // cell_width))
    start = heatmap_start(today, weeks)
    counts = {row["day"]: row["count"] for row in stats["reviews_per_day"] if row["day"] >= start}
    peak = max(counts.values(), default=0)
    mondays = [start + timedelta(weeks=k) for k in range(weeks)]

    months = [" "] * (label_width + cell_width * weeks)
    changes = [k for k in range(1, weeks) if mondays[k].month != mondays[k - 1].month]
    # A label needs two columns (three letters and a space): the first column gets one
    # only when the next month's label starts two columns or more later.
    labelled = ([0] if not changes or changes[0] >= 2 else []) + changes
    for k in labelled:
        at = label_width + cell_width * k
        name = MONTHS[mondays[k].month - 1]
        if at + len(name) <= width:
            months[at:at + len(name)] = name
    lines = [Text("".join(months).rstrip(), style="dim")]

    for weekday in range(7):
        line = Text(f"{WEEKDAYS[weekday]} ", style="dim")
        for monday in mondays:
            day = monday + timedelta(days=weekday)
            if day > today:
                line.append(" " * cell_width)
                continue
            level = heat_level(counts.get(day, 0), peak)
            line.append(HEAT_CHARS[level], style=HEAT_STYLES[level])
            line.append(" " * (cell_width - 1))
        line.rstrip()
        lines.append(line)

    legend = Text(" " * label_width + "Less ", style="dim")
    for level, char in enumerate(HEAT_CHARS):
        legend.append(char, style=HEAT_STYLES[level])
        legend.append(" ")
    legend.append("More", style="dim")
    shown = sum(counts.values())
    legend.append(
        f"   {shown} review{'s' if shown != 1 else ''} in {weeks} weeks"
        + (f", busiest day {peak}" if peak else ""),
        style="dim",
    )
    lines.append(legend)
    for line in lines:
        line.truncate(width, overflow="ellipsis")
    return lines


def _percent(figures: dict[str, Any]) -> str:
    if not figures["total"]:
        return "—"
    return f"{figures['rate']:.0%} (n={figures['total']})"


def _retention_line(stats: dict[str, Any]) -> Text:
    from rich.text import Text

    overall = stats["retention"]["overall"]
    if not overall["total"]:
        return Text("— (n=0): no graded reviews yet")
    line = Text()
    line.append(f"{overall['rate']:.0%}", style="bold")
    line.append(f" correct (n={overall['total']})")
    line.append("; same-day re-drills not counted", style="dim")
    return line


def _items_table(stats: dict[str, Any], width: int) -> Table:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    # The whole table needs about 68 columns; narrower, interval and repetitions make room.
    full = width >= FULL_TABLE_WIDTH
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
    table.add_column("item", overflow="ellipsis", min_width=10)
    for header in ("EF", "interval", "reps", "lapses") if full else ("EF", "lapses"):
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("due", no_wrap=True)
    table.add_column("retention", justify="right", no_wrap=True)
    retention = {row["id"]: row for row in stats["retention"]["items"]}
    today = stats["today"]
    for item in stats["items"]:
        due = item["due"]
        if due is None:
            due_text = Text("new", style="dim")
        elif due <= today:
            due_text = Text("today" if due == today else due.isoformat(), style="yellow")
        else:
            due_text = Text(due.isoformat())
        schedule = [Text(f"{item['interval']}d"), Text(str(item["repetitions"]))] if full else []
        table.add_row(
            Text(item["id"]),
            Text(f"{item['easiness']:.2f}"),
            *schedule,
            Text(f"{item['lapses']} leech", style="bold red") if item["leech"]
            else Text(str(item["lapses"])),
            due_text,
            Text(_percent(retention[item["id"]])),
        )
    if not stats["items"]:
        table.add_row(Text("no items", style="dim"), *[Text("")] * (len(table.columns) - 1))
    return table


def _items_note(stats: dict[str, Any]) -> list[Text]:
    """A line saying which items the table shows, when it does not show them all."""
    from rich.text import Text

    count, shown = stats["item_count"], len(stats["items"])
    if shown >= count:
        return []
    return [Text(f"The {shown} hardest of {count:,} items (lowest EF first); --all lists every one.",
                 style="dim")]


def _leeches(stats: dict[str, Any], width: int) -> list[Text]:
    """One line per failed variant of each leech shown (at most FAILED_VARIANTS_SHOWN each)."""
    from rich.text import Text

    leeches = stats["leeches"]
    if not leeches:
        return [Text("")]
    count = stats["leech_count"]
    which = "" if len(leeches) >= count else f", {count:,} in all"
    lines = [
        Text(""),
        Text(f"Leeches ({LEECH_LAPSES} or more lapses{which}): the variants that failed", style="bold"),
    ]
    for item in leeches:
        if not item["failed_variants"]:
            lines.append(Text(f"{item['id']}: no failed grades on record"))
        for failed in item["failed_variants"]:
            line = Text()
            line.append(item["id"], style="bold red")
            line.append(": " + _failure_text(failed))
            line.truncate(width, overflow="ellipsis")
            lines.append(line)
    if len(leeches) < count:
        more = count - len(leeches)
        lines.append(Text(f"and {more:,} more with fewer or as many lapses; --all lists every one",
                          style="dim"))
    lines.append(Text(""))
    return lines


def _failure_text(failed: dict[str, Any]) -> str:
    times = f" ×{failed['failures']}" if failed["failures"] > 1 else ""
    if failed["seed"] is None:
        return f"failed{times} without a recorded variant (last {failed['last_day'].isoformat()})"
    text = f"failed seed {failed['seed']}{times}"
    if failed["params"] is None:
        return text + " (parameters not stored)"
    if failed["params"]:
        params = ", ".join(f"{k}={_short_value(v)}" for k, v in failed["params"].items())
        text += f" ({params})"
    return text


def _short_value(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(", ", ": "), ensure_ascii=False)


def _forecast(stats: dict[str, Any], width: int) -> list[Text]:
    """One line per day: weekday, date, count, and a bar (empty on days with nothing due)."""
    from rich.text import Text

    forecast = stats["forecast"]
    peak = max((row["due"] for row in forecast), default=0)
    digits = max(1, len(str(peak)))
    room = max(1, width - len("Wed 2026-11-25  ") - digits - 1)
    lines: list[Text] = []
    for row in forecast:
        day, due = row["day"], row["due"]
        # One block per card while they fit; beyond that, scaled to the widest day.
        length = due if peak <= room else math.ceil(due * room / peak)
        line = Text(f"{WEEKDAYS[day.weekday()]} {day.isoformat()}  ", style="dim")
        line.append(f"{due:>{digits}} ", style="bold" if due else "dim")
        line.append("█" * length, style="cyan")
        line.rstrip()
        lines.append(line)
    return lines
