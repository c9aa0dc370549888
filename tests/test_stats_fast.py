"""The fast figures (running tallies, no join without a deck, a screenful by default) give
the same answers as the plain queries over the review log they replace.

`slow_figures` below is the way drill computed its figures before the tallies: every sum
straight from the `live_reviews` view joined to items. Random histories (grades, re-drills,
undos, reviews from Anki, retired items, leeches) are compared on both.
"""

from __future__ import annotations

import json
import random
import re
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drill import stats
from drill.reviewlog import rebuild_tallies, tally_mismatches
from drill.store import Store

TODAY = date(2026, 11, 25)
SYNCED = datetime(2026, 1, 1, 9, tzinfo=UTC)
DECKS = {"deck": ["a", "b", "c", "d", "e", "f"], "other": ["x", "y", "z"]}
CORRECT = "COALESCE(r.correct, r.quality >= 3)"
IN_DECK = "(:deck IS NULL OR i.deck = :deck)"


def slow_figures(conn, today: date, deck: str | None) -> dict:
    """The figures as the log gives them, by the queries drill used before schema 8."""
    args = {"today": today.isoformat(), "start": stats.heatmap_start(today).isoformat(),
            "deck": deck, "leech": stats.LEECH_LAPSES, "shown": stats.FAILED_VARIANTS_SHOWN,
            "yesterday": (today - timedelta(days=1)).isoformat()}
    per_day = conn.execute(
        f"SELECT r.day, COUNT(*), COALESCE(SUM(r.source = 'anki'), 0) FROM live_reviews r "
        f"JOIN items i ON i.id = r.item_id WHERE r.day BETWEEN :start AND :today AND {IN_DECK} "
        f"GROUP BY r.day ORDER BY r.day", args).fetchall()
    total, graded, correct, anki = conn.execute(
        f"SELECT COUNT(*), COALESCE(SUM(r.redrill = 0), 0), "
        f"COALESCE(SUM(r.redrill = 0 AND {CORRECT}), 0), COALESCE(SUM(r.source = 'anki'), 0) "
        f"FROM live_reviews r JOIN items i ON i.id = r.item_id WHERE {IN_DECK}", args).fetchone()
    per_item = {row[0]: row[1:] for row in conn.execute(
        f"SELECT r.item_id, SUM({CORRECT}), COUNT(*) FROM live_reviews r "
        f"JOIN items i ON i.id = r.item_id WHERE r.redrill = 0 AND i.retired_at IS NULL "
        f"AND {IN_DECK} GROUP BY r.item_id", args)}
    failed: dict = {}
    for item_id, seed, failures, last_day in conn.execute(
        f"""
        WITH failed AS (
            SELECT r.item_id, r.seed, COUNT(*) AS failures, MAX(r.id) AS last_id,
                   MAX(r.day) AS last_day
            FROM live_reviews r JOIN cards c ON c.item_id = r.item_id
            JOIN items i ON i.id = r.item_id
            WHERE c.lapses >= :leech AND r.quality < 3 AND r.redrill = 0
                  AND i.retired_at IS NULL AND {IN_DECK}
            GROUP BY r.item_id, r.seed
        ), ranked AS (
            SELECT *, ROW_NUMBER() OVER (PARTITION BY item_id ORDER BY last_id DESC) AS place
            FROM failed)
        SELECT item_id, seed, failures, last_day FROM ranked WHERE place <= :shown
        ORDER BY item_id, place
        """, args):
        failed.setdefault(item_id, []).append(
            {"seed": seed, "params": None, "failures": failures,
             "last_day": date.fromisoformat(last_day)})
    items = []
    for item_id, title, ef, interval, reps, lapses, due in conn.execute(
        f"SELECT i.id, i.title, c.easiness_milli, c.interval, c.repetitions, c.lapses, c.due "
        f"FROM items i JOIN cards c ON c.item_id = i.id WHERE i.retired_at IS NULL "
        f"AND {IN_DECK} ORDER BY i.deck != 'dl_foundations', i.deck, i.position, i.id", args):
        items.append({"id": item_id, "title": title, "easiness": ef / 1000, "interval": interval,
                      "repetitions": reps, "lapses": lapses,
                      "due": date.fromisoformat(due) if due else None,
                      "leech": lapses >= stats.LEECH_LAPSES,
                      "failed_variants": failed.get(item_id, [])})
    (streak,) = conn.execute(
        f"""
        WITH days AS (SELECT DISTINCT r.day FROM live_reviews r JOIN items i ON i.id = r.item_id
                      WHERE r.day <= :today AND {IN_DECK}),
        runs AS (SELECT day, julianday(day) + ROW_NUMBER() OVER (ORDER BY day DESC) AS run
                 FROM days)
        SELECT COUNT(*) FROM runs WHERE run = (SELECT run FROM runs
            WHERE day IN (:today, :yesterday) ORDER BY day DESC LIMIT 1)
        """, args).fetchone()

    def rate(c, n):
        return {"correct": c, "total": n, "rate": c / n if n else None}

    return {
        "reviews_per_day": [{"day": date.fromisoformat(d), "count": n, "anki": a}
                            for d, n, a in per_day],
        "retention": {"overall": rate(correct, graded),
                      "items": [{"id": item["id"], **rate(*per_item.get(item["id"], (0, 0)))}
                                for item in items]},
        "items": items,
        "streak": streak,
        "total_reviews": total,
        "anki_reviews": anki,
    }


def moment(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def build(store: Store, steps: list[tuple], rng: random.Random) -> None:
    """Play a history: grades, undos, reviews from Anki, retirements, lapses."""
    anki_id = 0
    for kind, item, offset, quality, flag in steps:
        day = TODAY - timedelta(days=offset)
        if kind == "grade":
            store.grade(item, quality, when=moment(day, 10), seed=rng.choice([None, 1, 2, 3]),
                        correct=rng.choice([None, True, False]), redrill=flag)
        elif kind == "undo":
            store.undo_last(moment(TODAY, 11))
        elif kind == "anki":
            anki_id += 1
            store.import_anki([{
                "item_id": item, "seed": rng.choice([None, 1, 2]), "anki_id": anki_id * 1000,
                "anki_card": f"g{item}:0", "anki_kind": "review",
                "reviewed_at": moment(day, 12), "quality": quality, "correct": quality >= 3,
                "response_ms": 900, "moves": flag}])
        elif kind == "retire":
            for deck, ids in DECKS.items():
                if item in ids:
                    kept = [i for i in ids if i != item or flag]
                    store.sync_items(deck, [_row(i, ids.index(i)) for i in kept], SYNCED)
        elif kind == "lapses":
            store.conn.execute("UPDATE cards SET lapses = ? WHERE item_id = ?", [quality, item])


def _row(item_id: str, position: int) -> dict:
    return {"id": item_id, "kind": "recall", "title": f"Item {item_id}", "position": position,
            "tags": [], "content": {"prompt": "?"}}


def fresh_store(folder: Path) -> Store:
    store = Store.open(folder / "drill.db")
    for deck, ids in DECKS.items():
        store.sync_items(deck, [_row(i, n) for n, i in enumerate(ids)], SYNCED)
    return store


ITEM_IDS = [i for ids in DECKS.values() for i in ids]
steps = st.lists(st.tuples(
    st.sampled_from(["grade", "grade", "grade", "grade", "undo", "anki", "retire", "lapses"]),
    st.sampled_from(ITEM_IDS), st.integers(0, 40), st.integers(0, 5), st.booleans()),
    max_size=60)


def fast_matches_slow(store: Store) -> None:
    for deck in (None, "deck", "other"):
        fast = stats.compute(store, TODAY, deck)
        slow = slow_figures(store.conn, TODAY, deck)
        for key, value in slow.items():
            assert fast[key] == value, (deck, key)
        assert fast["item_count"] == len(slow["items"])
        leeches = [item for item in slow["items"] if item["leech"]]
        assert fast["leech_count"] == len(leeches)
        assert store.streak(TODAY, deck) == slow["streak"]
        # A screenful: the hardest items, and the leeches with the most lapses.
        for shown in (1, 3, 100):
            few = stats.compute(store, TODAY, deck, shown)
            expected = slow["items"] if len(slow["items"]) <= shown else sorted(
                slow["items"], key=lambda i: (i["easiness"], -i["lapses"], i["id"]))[:shown]
            assert few["items"] == expected
            retention = {row["id"]: row for row in slow["retention"]["items"]}
            assert few["retention"]["items"] == [retention[i["id"]] for i in expected]
            assert few["leeches"] == sorted(leeches, key=lambda i: (-i["lapses"], i["id"]))[
                :stats.LEECHES_SHOWN]
            assert (few["item_count"], few["leech_count"]) == (len(slow["items"]), len(leeches))
            for key in ("reviews_per_day", "streak", "total_reviews", "anki_reviews"):
                assert few[key] == slow[key]
            assert few["retention"]["overall"] == slow["retention"]["overall"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps, st.integers(0, 2**32))
def test_the_figures_equal_the_plain_queries_over_the_log(history, seed):
    with tempfile.TemporaryDirectory() as tmp:
        store = fresh_store(Path(tmp))
        try:
            build(store, history, random.Random(seed))
            assert tally_mismatches(store.conn) == []
            fast_matches_slow(store)
        finally:
            store.close()


def test_a_long_history_with_many_leeches(tmp_path):
    """More leeches than are shown, failed grades on several seeds, undos among them."""
    store = fresh_store(tmp_path)
    rng = random.Random(7)
    history = [("grade", rng.choice(ITEM_IDS), rng.randint(0, 200), rng.choice([0, 1, 2, 4, 5]),
                rng.random() < 0.1) for _ in range(800)]
    history += [("undo", "a", 0, 0, False)] * 20
    history += [("lapses", item, 0, 3 + n % 4, False) for n, item in enumerate(ITEM_IDS)]
    build(store, history, rng)
    assert tally_mismatches(store.conn) == []
    fast_matches_slow(store)
    store.close()


def test_the_terminal_shows_a_screenful_and_all_or_json_every_item(tmp_path, run):
    store = fresh_store(tmp_path)
    many = [_row(f"m{n:02d}", n) for n in range(45)]
    store.sync_items("many", many, SYNCED)
    for n in range(45):  # m00 is the hardest, m44 the easiest of them
        store.conn.execute("UPDATE cards SET easiness_milli = ?, lapses = ? WHERE item_id = ?",
                           [1300 + 10 * n, 3 + n % 2, f"m{n:02d}"])
    store.close()
    db = ["--db", str(tmp_path / "drill.db"), "stats"]
    data = json.loads(run(*db, "--json").output)
    assert set(data) == set(stats.JSON_KEYS)
    ids = [item["id"] for item in data["items"]]
    assert ids[12:] == DECKS["deck"] + [f"m{n:02d}" for n in range(45)] + DECKS["other"]
    shown = run(*db).output
    rows = [line.split()[0] for line in shown.splitlines() if re.match(r"m\d\d\b", line)]
    assert [r for r in rows if not r.endswith(":")] == [f"m{n:02d}" for n in range(40)]
    assert "The 40 hardest of 66 items" in shown
    leech_lines = [r for r in rows if r.endswith(":")]
    assert leech_lines == [f"m{n:02d}:" for n in range(1, 20, 2)]  # 4 lapses first, by id
    assert "and 35 more with fewer or as many lapses" in shown
    every = run(*db, "--all").output
    assert "hardest" not in every and "more with fewer" not in every
    assert sum(bool(re.match(r"m\d\d ", line)) for line in every.splitlines()) == 45


# -- the tallies and their check -------------------------------------------------------------


def test_damaged_tallies_are_found_and_rebuilt_from_the_log(tmp_path):
    store = fresh_store(tmp_path)
    build(store, [("grade", "a", 2, 4, False), ("grade", "b", 1, 1, False),
                  ("anki", "c", 1, 5, True), ("grade", "a", 0, 2, True)], random.Random(3))
    conn = store.conn
    conn.execute("UPDATE item_tallies SET correct = correct + 1 WHERE item_id = 'a'")
    conn.execute("DELETE FROM day_tallies WHERE day = ?", [(TODAY - timedelta(days=1)).isoformat()])
    conn.execute("INSERT INTO item_tallies VALUES ('z', 4, 4, 4, 0)")
    found = tally_mismatches(conn)
    assert len(found) == 3 and any("a" in line for line in found)
    with store.transaction() as write:
        rebuild_tallies(write)
    assert tally_mismatches(conn) == []
    store.close()


@pytest.mark.parametrize("undo_first", [False, True])
def test_an_undo_takes_its_review_back_out_of_the_tallies(tmp_path, undo_first):
    store = fresh_store(tmp_path)
    store.grade("a", 5, when=moment(TODAY, 9), correct=True)
    store.grade("a", 1, when=moment(TODAY, 10), correct=False, redrill=True)
    if undo_first:
        store.undo_last(moment(TODAY, 11))
    row = store.conn.execute(
        "SELECT reviews, graded, correct, anki FROM item_tallies WHERE item_id = 'a'").fetchone()
    assert row == ((1, 1, 1, 0) if undo_first else (2, 1, 1, 0))
    (today,) = store.conn.execute("SELECT reviews FROM day_tallies WHERE day = ?",
                                  [TODAY.isoformat()]).fetchone()
    assert today == (1 if undo_first else 2)
    store.close()


@pytest.mark.parametrize(("damage", "found_by_default"), [
    ("UPDATE item_tallies SET reviews = reviews + 2 WHERE item_id = 'a'", True),
    ("DELETE FROM day_tallies", True),
    ("UPDATE item_tallies SET correct = correct + 1 WHERE item_id = 'a'", False),  # totals agree
])
def test_doctor_finds_tallies_that_left_the_log_and_repair_recounts_them(
        tmp_path, run, damage, found_by_default):
    store = fresh_store(tmp_path)
    build(store, [("grade", "a", 2, 4, False), ("grade", "a", 1, 5, False),
                  ("grade", "b", 1, 1, False)], random.Random(5))
    store.conn.execute(damage)
    store.close()
    db = ["--db", str(tmp_path / "drill.db"), "doctor"]
    quick, full = run(*db), run(*db, "--full")
    assert full.exit_code == 1 and "tally: " in full.output and "--repair` recounts" in full.output
    assert (quick.exit_code == 1 and "tally: " in quick.output) == found_by_default
    assert ("is healthy" in quick.output) == (not found_by_default)
    repaired = run(*db, "--repair")
    assert "Recounted" in repaired.output and "is healthy" in repaired.output
    assert run(*db, "--full").exit_code == 0
    with Store.open(tmp_path / "drill.db") as again:
        assert tally_mismatches(again.conn) == []
