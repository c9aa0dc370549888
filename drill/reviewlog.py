"""The review log read back: the card state it gives each item, and the running tallies
(per item and per day) kept beside it.

drill's own grades count in the order they were given; reviews brought back from Anki join
them by the time they were done; re-drills never move a card.
"""

from __future__ import annotations

import sqlite3

from drill.schedule import CardState, replay

# A counted grade as read from the log: (review id, reviewed_at, day, quality).
LogRow = tuple[int, str, str, int]
# A counted grade in replay order: (position, day, quality); see counted_events.
Event = tuple[int, str, int]


def replay_log(conn: sqlite3.Connection, item_id: str | None = None) -> dict[str, CardState]:
    """The card state the review log gives each item (or just `item_id`), by item.

    drill's own grades count in the order they were given; reviews brought back from Anki
    join them by the time they were done. Re-drills do not move a card, and a self-check
    miss comes after the grades given before its attempt (see drill.schedule.replay).
    """
    grades = counted_events(conn, item_id)
    misses: dict[str, list[tuple[int, str]]] = {}
    for miss_item, after_id, day in conn.execute(
            "SELECT r.item_id, a.after_review_id, a.day FROM selfcheck_results r "
            "JOIN selfcheck_attempts a ON a.id = r.attempt_id WHERE r.correct = 0 "
            "AND a.moved_schedule = 1" + ("" if item_id is None else " AND r.item_id = :item")
            + " ORDER BY a.id", {"item": item_id}):
        misses.setdefault(miss_item, []).append((after_id, day))
    items = [item_id] if item_id is not None else [
        row[0] for row in conn.execute("SELECT item_id FROM cards")]
    states: dict[str, CardState] = {}
    for one in items:
        events = grades.get(one, [])
        states[one] = replay([(day, q) for _, day, q in events], misses.get(one, []),
                             [position for position, _, _ in events])
    return states


def counted_events(conn: sqlite3.Connection, item_id: str | None = None) -> dict[str, list[Event]]:
    """Each item's grades that move its card, in order: [(position, day, quality), ...].

    drill's own grades keep the order they were given (their ids); Anki's are merged in by
    time. `position` is the id of the newest drill grade at that point, which is what a
    self-check miss is placed against.
    """
    own, anki = counted_rows(conn, item_id)
    return {one: _merge(own.get(one, []), anki.get(one, [])) for one in own.keys() | anki.keys()}


def counted_rows(conn: sqlite3.Connection,
                  item_id: str | None) -> tuple[dict[str, list[LogRow]], dict[str, list[LogRow]]]:
    """The grades that move cards, drill's and Anki's apart, by item, in id order: rows of
    (id, reviewed_at, day, quality)."""
    own: dict[str, list[LogRow]] = {}
    anki: dict[str, list[LogRow]] = {}
    for review_id, one, reviewed_at, day, quality, source in conn.execute(
            "SELECT id, item_id, reviewed_at, day, quality, source FROM live_reviews "
            # One item's rows come off the reviews_item index; `:item IS NULL OR ...` would
            # make SQLite read the whole log for it.
            "WHERE redrill = 0" + ("" if item_id is None else " AND item_id = :item")
            + " ORDER BY id", {"item": item_id}):
        (anki if source == "anki" else own).setdefault(one, []).append(
            (review_id, reviewed_at, day, quality))
    return own, anki


def _merge(own: list[LogRow], anki: list[LogRow]) -> list[Event]:
    """drill's rows (id, reviewed_at, day, quality) in id order with Anki's merged in by
    time: [(position, day, quality), ...], position being the newest drill id before it."""
    return [(position, row[2], row[3]) for position, row in interleave(own, anki)]


def interleave(own: list[LogRow], anki: list[LogRow]) -> list[tuple[int, LogRow]]:
    """(position, row) for the rows of both, drill's in their order, Anki's by time."""
    anki = sorted(anki, key=lambda row: (row[1], row[0]))
    merged: list[tuple[int, LogRow]] = []
    i = j = position = 0
    while i < len(own) or j < len(anki):
        if j == len(anki) or (i < len(own) and own[i][1] <= anki[j][1]):
            position = own[i][0]
            merged.append((position, own[i]))
            i += 1
        else:
            merged.append((position, anki[j]))
            j += 1
    return merged




# The running tallies (schema 8) as the review log gives them.
_ITEM_TALLIES = (
    "SELECT item_id, COUNT(*), SUM(redrill = 0), SUM(redrill = 0 AND COALESCE(correct, quality >= 3)), "
    "SUM(source IS 'anki') FROM live_reviews GROUP BY item_id")
_DAY_TALLIES = "SELECT day, COUNT(*), SUM(source IS 'anki') FROM live_reviews GROUP BY day"


def tally_mismatches(conn: sqlite3.Connection) -> list[str]:
    """Where the running tallies differ from the review log, one line each (a tally of
    zero and no tally are the same)."""
    found: list[str] = []
    for table, key, query, names in (
            ("item_tallies", "item_id", _ITEM_TALLIES, ("reviews", "graded", "correct", "anki")),
            ("day_tallies", "day", _DAY_TALLIES, ("reviews", "anki"))):
        expected = {row[0]: tuple(row[1:]) for row in conn.execute(query)}
        held = {row[0]: tuple(row[1:]) for row in conn.execute(
            f"SELECT {key}, {', '.join(names)} FROM {table}")}
        zero = (0,) * len(names)
        for one in sorted(expected.keys() | held.keys()):
            want, have = expected.get(one, zero), held.get(one, zero)
            if want != have:
                shown = ", ".join(f"{name} {h} (log: {w})" for name, w, h in zip(names, want, have)
                                  if w != h)
                found.append(f"{one}: the running tally holds {shown}")
    return found


def rebuild_tallies(conn: sqlite3.Connection) -> None:
    """Recount the running tallies from the review log (inside the caller's transaction)."""
    conn.execute("DELETE FROM item_tallies")
    conn.execute("DELETE FROM day_tallies")
    conn.execute(f"INSERT INTO item_tallies (item_id, reviews, graded, correct, anki) {_ITEM_TALLIES}")
    conn.execute(f"INSERT INTO day_tallies (day, reviews, anki) {_DAY_TALLIES}")
