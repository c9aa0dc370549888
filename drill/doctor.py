"""Health checks for a drill database, and a repair that rebuilds cards from the review log.

The review log is the source of truth: replaying an item's grades (those not undone, same-day
re-drills left out) through SM-2 must give exactly the state its card holds. A scored
self-check that missed the item is part of that history too: it brings the due day forward
to the day after the attempt, at the latest.

The log can hold millions of reviews, so it is read once, as a stream in item order (the
reviews_item index), and replayed an item at a time in integers (drill.schedule.fold); the
cards are read in the same order alongside it, so memory does not grow with the log. Each
check first takes a fast path that can only say "all is well"; when it cannot, the exact,
slower check runs and gives the findings, so damage is reported the same way either way.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from hashlib import sha256
from json.encoder import encode_basestring_ascii as _json_str  # json.dumps(str), in C
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from drill import schedule
from drill.database import translate_errors
from drill.reviewlog import LogRow, _merge, rebuild_tallies, replay_log, tally_mismatches
from drill.schedule import CardState, Folded, FromAnki, NotAGrade
from drill.store import Store

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from drill.collection import Collection

# A card that disagrees with its log: (item id, the state its log gives, the state the card
# holds), or (item id, None, why the log cannot be replayed). Item ids are Any: a damaged
# database can hold ids that are not text.
Mismatch = tuple[Any, CardState | None, Any]

SHOWN = 20  # findings listed by default: a person reads the first ones; --all lists all


@dataclass(frozen=True)
class Finding:
    what: str  # integrity, foreign-key, text, content, card, log
    message: str


def listing(findings: list[Finding], shown: int | None = SHOWN) -> list[str]:
    """One line per finding, the first `shown` of them (None: all), then how many more."""
    lines = [f"{f.what}: {f.message}" for f in findings[:shown]]
    if shown is not None and len(findings) > shown:
        lines.append(f"and {len(findings) - shown:,} more; --all lists every one")
    return lines


def examine(store: Store, full: bool = False) -> list[Finding]:
    """Everything wrong with the database; an empty list means healthy.

    SQLite's quick_check by default; `full` runs its complete integrity_check (which also
    compares every index with its table, several times slower) and looks for text that is
    not UTF-8 in every column, not only in those meant for text.
    """
    with translate_errors(store.path), _alongside(store, full) as integrity:
        with _snapshot(store.conn):
            rest = _examine_log_and_items(store, full)
        return [Finding("integrity", result) for result in integrity.result()] + rest


def _examine_log_and_items(store: Store, full: bool) -> list[Finding]:
    """Every check but SQLite's integrity check, in the order they are listed."""
    conn = store.conn
    findings = _foreign_keys(conn)
    if full:
        text = _bad_text(store)
        if text:  # the checks below read that text; restoring a backup is the way out
            return findings + text
    try:
        if not full:
            _read_text(conn, but=("items", "cards"))
        content = [Finding(
            "content", f"{item_id}: its stored content does not match the hash it was "
                       "saved with; `drill doctor --repair` reloads it from its deck")
            for item_id in _content_mismatches(store, check_text=not full)]
        cards = list(_card_findings(conn, check_text=not full))
    except sqlite3.OperationalError as exc:
        if full or not str(exc).startswith("Could not decode to UTF-8"):
            raise
        return findings + _bad_text(store)  # as above: the text findings alone
    return findings + content + cards + _tally_findings(conn, full)


def repair(store: Store) -> int:
    """Rebuild every card whose state does not match its review log; return how many.

    The mismatches are computed inside the write transaction, so a grade made meanwhile in
    another drill is part of the log they are computed from, never overwritten.
    """
    with store.transaction() as conn:
        mismatches = [(item_id, expected) for item_id, expected, _ in _card_mismatches(conn)
                      if expected is not None]
        for item_id, expected in mismatches:
            conn.execute(
                "UPDATE cards SET easiness_milli = ?, interval = ?, repetitions = ?, due = ?, "
                "lapses = ? WHERE item_id = ?",
                [*expected, item_id],
            )
    return len(mismatches)


def mend(collection: Collection) -> dict[str, int]:
    """`drill doctor --repair`: reload items whose stored content is not what it was saved
    as, rebuild cards from the review log and recount the running tallies from it; return
    how many of each."""
    items = len(_content_mismatches(collection.store))
    if items:
        collection.resync()
        items -= len(_content_mismatches(collection.store))  # what no loaded deck could reload
    cards = repair(collection.store)
    with collection.store.transaction() as conn:
        tallies = len(tally_mismatches(conn))
        if tallies:
            rebuild_tallies(conn)
    return {"items": items, "cards": cards, "tallies": tallies}


# -- the running tallies ------------------------------------------------------------------------


def _tally_findings(conn: sqlite3.Connection, full: bool) -> list[Finding]:
    """The running tallies (what `drill stats` reads) against the review log. By default the
    totals, which cost three counts; when they disagree, or with `full`, every item's and
    every day's tally is compared with the log."""
    if not full:
        (log, items, days) = conn.execute(
            "SELECT (SELECT COUNT(*) FROM reviews) - (SELECT COUNT(*) FROM undos), "
            "(SELECT COALESCE(SUM(reviews), 0) FROM item_tallies), "
            "(SELECT COALESCE(SUM(reviews), 0) FROM day_tallies)").fetchone()
        if log == items == days:
            return []
    return [Finding("tally", f"{line}; `drill doctor --repair` recounts it from the log")
            for line in tally_mismatches(conn)]


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction around the checks, so a grade given meanwhile in another drill
    cannot show as a card that disagrees with a log read a moment earlier."""
    in_read = conn.in_transaction
    if in_read:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")  # nothing was written


# -- SQLite's own checks ------------------------------------------------------------------


class _Background:
    """SQLite's integrity check on a connection of its own, in a thread: it runs in C, which
    lets go of Python's lock, so on a machine with two cores it costs no time beside the
    replay of the log (on a long log the two take seconds each)."""

    def __init__(self, store: Store, full: bool) -> None:
        self._path, self._read_only, self._full = store.path, store.read_only is not None, full
        self._conn: sqlite3.Connection | None = None
        self._outcome: list[str] | BaseException = []
        self._opened = threading.Event()
        self._thread = threading.Thread(target=self._run, name="drill-doctor-integrity", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from drill.database import _connect

        try:
            self._conn = _connect(self._path, self._read_only)
        except BaseException as exc:  # noqa: BLE001 - raised again in the calling thread
            self._outcome = exc
            return
        finally:
            self._opened.set()
        try:
            self._outcome = _integrity(self._conn, self._full)
        except BaseException as exc:  # noqa: BLE001 - raised again in the calling thread
            self._outcome = exc
        finally:
            self._conn.close()

    def result(self) -> list[str]:
        """What the check found ([] when it says ok); its error, raised here."""
        self._thread.join()
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        return self._outcome

    def stop(self) -> None:
        self._opened.wait()
        if self._conn is not None and self._thread.is_alive():
            self._conn.interrupt()  # SQLite's own way to end a running statement early
        self._thread.join()


@contextmanager
def _alongside(store: Store, full: bool) -> Iterator[_Background]:
    check = _Background(store, full)
    try:
        yield check
    except BaseException:
        check.stop()
        raise


def _integrity(conn: sqlite3.Connection, full: bool) -> list[str]:
    """What SQLite's integrity_check (full) or quick_check finds; [] when it says ok.

    quick_check is the check the daily backup runs (and whose warning sends the learner
    here): every page and b-tree, NOT NULL and CHECK constraints, but not whether each index
    holds exactly its table's rows, which takes integrity_check several times as long.
    """
    rows = conn.execute("PRAGMA integrity_check" if full else "PRAGMA quick_check").fetchall()
    return [result for (result,) in rows if result != "ok"]


def _foreign_keys(conn: sqlite3.Connection) -> list[Finding]:
    """A finding per row that points to a missing parent, in SQLite's own order."""

    def found(rows: Iterable[tuple[Any, ...]]) -> list[Finding]:
        return [Finding("foreign-key", f"{table} row {rowid} points to a missing {parent}")
                for table, rowid, parent, _ in rows]

    # Checking the review log row by row looks up its item a million times; its distinct
    # item ids, read off the reviews_item index, say the same when there is nothing to find.
    orphans = conn.execute(
        "SELECT 1 FROM (SELECT DISTINCT item_id FROM reviews) "
        "WHERE item_id NOT IN (SELECT id FROM items) LIMIT 1").fetchone()
    if orphans is None and _review_keys(conn) == [("item_id", "items", "id")]:
        others = [table for table in _tables(conn) if table != "reviews"]
        if not any(conn.execute(f'PRAGMA foreign_key_check("{t}")').fetchone() for t in others):
            return []
    return found(conn.execute("PRAGMA foreign_key_check"))


def _review_keys(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return [(row[3], row[2], row[4]) for row in conn.execute("PRAGMA foreign_key_list(reviews)")]


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]


# -- text that is not UTF-8 -----------------------------------------------------------------


def _bad_text(store: Store) -> list[Finding]:
    """A finding per column holding text that is not valid UTF-8 (damage SQLite's own
    checks do not see, and which every query reading it would trip over)."""
    findings: list[Finding] = []
    for table in _tables(store.conn):
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
                findings.append(Finding(
                    "text", f"{table}.{column}: {values} not valid UTF-8 text (damage); "
                            "`drill restore` puts a backup back"))
    return findings


def _text_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """The columns meant to hold text (all but INTEGER and REAL ones, by SQLite's rules for a
    declared type); `--full` looks at every column."""
    names: list[str] = []
    for _, name, declared, *_ in conn.execute(f'PRAGMA table_info("{table}")'):
        declared = declared.upper()
        if "INT" in declared or (("REAL" in declared or "FLOA" in declared or "DOUB" in declared)
                                 and not any(t in declared for t in ("CHAR", "CLOB", "TEXT"))):
            continue
        names.append(name)
    return names


def _quoted(columns: Iterable[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _read_text(conn: sqlite3.Connection, but: tuple[str, ...] = ()) -> None:
    """Read every value of the text columns of each table (bar those in `but`), which
    Python's sqlite3 decodes as UTF-8, strictly: an OperationalError says some did not.
    Of the review log, the rows the card check does not read (re-drills, undone grades)."""
    for table in _tables(conn):
        columns = _text_columns(conn, table)
        if not columns or table in but:
            continue
        where = ""
        if table == "reviews":
            where = "WHERE (redrill = 0) IS NOT 1 OR id IN (SELECT review_id FROM undos)"
        for _ in conn.execute(f'SELECT {_quoted(columns)} FROM "{table}" {where}'):
            pass


# -- stored items -----------------------------------------------------------------------------


def _content_mismatches(store: Store, check_text: bool = False) -> list[str]:
    """Ids of items whose stored content does not hash to the digest it was saved with
    (with `check_text`, every text column of the items is read, and so decoded, too)."""
    from drill.store import content_digest

    extra = [c for c in _text_columns(store.conn, "items")
             if c not in ("id", "kind", "title", "tags", "content", "content_hash")]
    columns = _quoted(["id", "kind", "title", "tags", "content", "content_hash",
                       *(extra if check_text else ())])
    wrong: list[str] = []
    for item_id, kind, title, tags, content, digest, *_ in store.conn.execute(
            f"SELECT {columns} FROM items ORDER BY id"):
        if _digest_as_stored(kind, title, tags, content) == digest:
            continue
        try:
            row = {"kind": kind, "title": title, "tags": json.loads(tags),
                   "content": json.loads(content)}
            ok = content_digest(row) == digest
        except (ValueError, TypeError):
            ok = False
        if not ok:
            wrong.append(item_id)
    return wrong


def _digest_as_stored(kind: Any, title: Any, tags: Any, content: Any) -> str | None:
    """content_digest without parsing the content: drill stores the tags and content as the
    very JSON the digest covers, so when the tags are a JSON list and the hash of the text
    as stored matches, the parsed content gives the same hash (JSON arrays and strings end
    where they end, so the four parts cannot be split any other way)."""
    try:
        if not (isinstance(content, str) and _is_json_list(tags)):
            return None
        payload = f"[{_json_str(kind)}, {_json_str(title)}, {tags}, {content}]"
        return sha256(payload.encode("utf-8")).hexdigest()
    except (TypeError, UnicodeEncodeError):
        return None


@lru_cache(maxsize=1024)  # a deck has a handful of distinct tag lists
def _is_json_list(text: str) -> bool:
    try:
        return isinstance(json.loads(text), list)
    except (ValueError, TypeError):
        return False


# -- cards against their review log ------------------------------------------------------------


def _card_findings(conn: sqlite3.Connection, check_text: bool) -> Iterator[Finding]:
    for item_id, expected, actual in _card_mismatches(conn, check_text):
        if expected is None:
            yield Finding("log", f"{item_id}: {actual}; `drill restore` puts a backup back")
        else:
            yield Finding("card", f"{item_id}: the card holds {_show(actual)}, "
                                  f"its review log gives {_show(expected)}")


def _card_mismatches(conn: sqlite3.Connection, check_text: bool = False) -> list[Mismatch]:
    """(item id, state its log gives, state its card holds) for every card that disagrees
    with its log, in the cards' order; (item id, None, why) for a log that cannot be
    replayed. With `check_text`, every text column of the rows read is read too (and so
    decoded as UTF-8)."""
    try:
        found = list(_streamed_mismatches(conn, check_text))
    except TypeError:
        # An item id that is not text (damage) breaks the ordered walk; the plain replay,
        # which holds the whole log in memory, copes.
        found = list(_plain_mismatches(conn))
    found.sort(key=itemgetter(0))
    return [row[1:] for row in found]


def _streamed_mismatches(conn: sqlite3.Connection,
                         check_text: bool) -> Iterator[tuple[int, Any, CardState | None, Any]]:
    """(card rowid, item id, expected, actual) per mismatch: the log's counted grades in
    item order, replayed an item at a time, walked alongside the cards in the same order."""
    misses = _misses(conn)
    text = [c for c in _text_columns(conn, "reviews")
            if c not in ("day", "source", "item_id")] if check_text else []
    columns = _quoted(["item_id", "id", "day", "quality", "source", *text])
    log = schedule.fold_log(conn.execute(
        f"SELECT {columns} FROM live_reviews WHERE redrill = 0 ORDER BY item_id, id"))
    current = next(log, None)
    card_text = [c for c in _text_columns(conn, "cards")
                 if c not in ("item_id", "due")] if check_text else []
    cards = _quoted(["item_id", "easiness_milli", "interval", "repetitions", "due", "lapses",
                     *card_text])
    for rowid, item_id, *state in conn.execute(f"SELECT rowid, {cards} FROM cards ORDER BY item_id"):
        actual = tuple(state[:5])
        while current is not None and current[0] < item_id:
            current = next(log, None)  # grades of an item without a card
        folded: Folded | FromAnki | NotAGrade = _NEW
        if current is not None and current[0] == item_id:
            folded = current[1]
        try:
            if isinstance(folded, FromAnki):
                folded = schedule.fold(_merged(conn, item_id))
            if isinstance(folded, NotAGrade):
                raise folded
            expected = schedule.finish(folded, misses.get(item_id, ()))
        except NotAGrade as bad:
            yield rowid, item_id, None, f"its review log holds a grade of {bad.quality!r}, not 0 to 5"
            continue
        except (ValueError, OverflowError):
            yield rowid, item_id, None, "its review log holds a day that is not a date"
            continue
        if expected != actual:
            yield rowid, item_id, expected, actual


_NEW = schedule.fold(())  # a card with no grades


def _merged(conn: sqlite3.Connection, item_id: str) -> list[schedule.LogRow]:
    """An item's counted grades with Anki's merged in by time (reviewlog._merge), as fold's rows."""
    own: list[LogRow] = []
    anki: list[LogRow] = []
    for review_id, reviewed_at, day, quality, source in conn.execute(
            "SELECT id, reviewed_at, day, quality, source FROM live_reviews "
            "WHERE item_id = ? AND redrill = 0 ORDER BY id", [item_id]):
        (anki if source == "anki" else own).append((review_id, reviewed_at, day, quality))
    return [(item_id, position, day, quality, None) for position, day, quality in _merge(own, anki)]


def _misses(conn: sqlite3.Connection) -> dict[str, list[tuple[int, str]]]:
    """Each item's self-check misses that moved its schedule: [(after review id, day), ...]."""
    misses: dict[str, list[tuple[int, str]]] = {}
    for item_id, after_id, day in conn.execute(
            "SELECT r.item_id, a.after_review_id, a.day FROM selfcheck_results r "
            "JOIN selfcheck_attempts a ON a.id = r.attempt_id WHERE r.correct = 0 "
            "AND a.moved_schedule = 1 ORDER BY a.id"):
        misses.setdefault(item_id, []).append((after_id, day))
    return misses


def _plain_mismatches(conn: sqlite3.Connection) -> Iterator[tuple[int, Any, CardState, Any]]:
    expected = replay_log(conn)
    for row in conn.execute(
        "SELECT rowid, item_id, easiness_milli, interval, repetitions, due, lapses FROM cards"
    ):
        rowid, item_id, actual = row[0], row[1], tuple(row[2:])
        if expected[item_id] != actual:
            yield rowid, item_id, expected[item_id], actual


def _show(state: tuple[Any, ...]) -> str:
    ef, interval, reps, due, lapses = state
    return (f"EF {ef / 1000:.2f}, interval {interval}, repetitions {reps}, "
            f"due {due or 'new'}, lapses {lapses}")
