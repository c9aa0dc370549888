"""Health checks for a drill database, and a repair that rebuilds cards from the review log.

The review log is the source of truth: replaying an item's grades (those not undone, same-day
re-drills left out) through SM-2 must give exactly the state its card holds. A scored
self-check that missed the item is part of that history too: it brings the due day forward
to the day after the attempt, at the latest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from drill.store import Store, replay_log, translate_errors


@dataclass(frozen=True)
class Finding:
    what: str  # integrity, foreign-key, text, content, card
    message: str


def examine(store: Store) -> list[Finding]:
    """Everything wrong with the database; an empty list means healthy."""
    findings = []
    with translate_errors(store.path):
        for (result,) in store.conn.execute("PRAGMA integrity_check"):
            if result != "ok":
                findings.append(Finding("integrity", result))
        for table, rowid, parent, _ in store.conn.execute("PRAGMA foreign_key_check"):
            findings.append(Finding("foreign-key", f"{table} row {rowid} points to a missing {parent}"))
        text = list(_bad_text(store))
        findings += text
        if text:  # the checks below read that text; restoring a backup is the way out
            return findings
        for item_id in _content_mismatches(store):
            findings.append(Finding(
                "content", f"{item_id}: its stored content does not match the hash it was saved "
                           "with; `drill doctor --repair` reloads it from its deck"))
        for item_id, expected, actual in _card_mismatches(store):
            findings.append(Finding(
                "card", f"{item_id}: the card holds {_show(actual)}, its review log gives {_show(expected)}"))
    return findings


def repair(store: Store) -> int:
    """Rebuild every card whose state does not match its review log; return how many.

    The mismatches are computed inside the write transaction, so a grade made meanwhile in
    another drill is part of the log they are computed from, never overwritten.
    """
    with store.transaction() as conn:
        mismatches = list(_card_mismatches(store))
        for item_id, expected, _ in mismatches:
            conn.execute(
                "UPDATE cards SET easiness_milli = ?, interval = ?, repetitions = ?, due = ?, "
                "lapses = ? WHERE item_id = ?",
                [*expected, item_id],
            )
    return len(mismatches)


def mend(collection) -> dict:
    """`drill doctor --repair`: reload items whose stored content is not what it was saved
    as, then rebuild cards from the review log; return how many of each."""
    items = len(_content_mismatches(collection.store))
    if items:
        collection.resync()
        items -= len(_content_mismatches(collection.store))  # what no loaded deck could reload
    return {"items": items, "cards": repair(collection.store)}


def _bad_text(store: Store):
    """A finding per column holding text that is not valid UTF-8 (damage SQLite's own
    checks do not see, and which every query reading it would trip over)."""
    tables = [r[0] for r in store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    for table in tables:
        columns = [r[1] for r in store.conn.execute(f'PRAGMA table_info("{table}")')]
        for column in columns:
            bad = 0
            for (raw,) in store.conn.execute(
                    f'SELECT CAST("{column}" AS BLOB) FROM "{table}" WHERE typeof("{column}") = \'text\''):
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError:
                    bad += 1
            if bad:
                values = "1 value" if bad == 1 else f"{bad} values"
                yield Finding("text", f"{table}.{column}: {values} not valid UTF-8 text (damage); "
                                      "`drill restore` puts a backup back")


def _content_mismatches(store: Store) -> list[str]:
    from drill.store import content_digest

    wrong = []
    for item_id, kind, title, tags, content, digest in store.conn.execute(
            "SELECT id, kind, title, tags, content, content_hash FROM items ORDER BY id"):
        try:
            row = {"kind": kind, "title": title, "tags": json.loads(tags),
                   "content": json.loads(content)}
            ok = content_digest(row) == digest
        except (ValueError, TypeError):
            ok = False
        if not ok:
            wrong.append(item_id)
    return wrong


def _card_mismatches(store: Store):
    expected = replay_log(store.conn)
    for row in store.conn.execute(
        "SELECT item_id, easiness_milli, interval, repetitions, due, lapses FROM cards"
    ):
        item_id, actual = row[0], tuple(row[1:])
        if expected[item_id] != actual:
            yield item_id, expected[item_id], actual


def _show(state: tuple) -> str:
    ef, interval, reps, due, lapses = state
    return (f"EF {ef / 1000:.2f}, interval {interval}, repetitions {reps}, "
            f"due {due or 'new'}, lapses {lapses}")
