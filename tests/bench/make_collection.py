"""Build a synthetic collection through drill's own store, for benchmarks.

    python tests/bench/make_collection.py --items 100000 --reviews 1000000 --db /tmp/big.db

The built-in deck is synced as usual; the synthetic items live in a deck of their own
("bench"). Reviews are spread over three years, in the order they were given, with each
review's before and after states, and every card holds the state its review log gives (as
`drill doctor` checks): a healthy collection, as a learner's is. About a tenth stay new.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from drill.collection import open_collection
from drill.schedule import fold

DECK = "bench"


def build(db: Path, items: int, reviews: int, today: date, seed: int = 1) -> dict:
    """Create the collection; return timings in seconds."""
    rng = random.Random(seed)
    timings = {}
    start = time.perf_counter()
    with open_collection(db) as collection:
        store = collection.store
        rows = [
            {"id": f"bench-{n:06d}", "kind": "recall", "title": f"Synthetic item {n}",
             "position": n, "tags": ["bench"], "content": {"prompt": f"Question {n}?"}}
            for n in range(items)
        ]
        store.sync_items(DECK, rows, datetime.now(UTC))
        timings["items"] = time.perf_counter() - start

        # The reviews, day by day, as a learner gives them: ids follow time, so an item's
        # history is spread over the log. Each card's state is carried along through drill's
        # own SM-2 fold, so the log's before/after states and the cards agree with a replay.
        start = time.perf_counter()
        first_day = today - timedelta(days=3 * 365)
        first = first_day.toordinal()
        days = [(first_day + timedelta(days=k)).isoformat() for k in range(3 * 365)]
        studied = [f"bench-{n:06d}" for n in range(items) if rng.random() >= 0.1]
        per_day = [0] * len(days)
        for _ in range(reviews if studied else 0):
            per_day[rng.randrange(len(days))] += 1
        states: dict[str, tuple] = {}  # item -> (EF, interval, repetitions, lapses, due, day)
        new = (2500, 0, 0, 0, None, None)

        def review_rows():
            for k, count in enumerate(per_day):
                day = days[k]
                for _ in range(count):
                    item = studied[rng.randrange(len(studied))]
                    quality = rng.choice((1, 3, 4, 4, 5, 5))
                    ef, interval, reps, lapses, due, _ = before = states.get(item, new)
                    ef, interval, reps, lapses, _ = fold([(item, 0, day, quality, None)], before[:4])
                    after = date.fromordinal(first + k + interval).isoformat()
                    states[item] = (ef, interval, reps, lapses, after, day)
                    yield (day + "T12:00:00+00:00", day, item, quality, int(quality >= 3),
                           rng.randint(2000, 60000), before[0], before[1], before[2], due,
                           ef, interval, reps, after)

        # One transaction and executemany over a generator: no review is held in memory.
        with store.transaction() as conn:
            conn.executemany(
                "INSERT INTO reviews (reviewed_at, day, item_id, seed, quality, correct, "
                "response_ms, redrill, easiness_before, interval_before, repetitions_before, "
                "due_before, easiness_after, interval_after, repetitions_after, due_after) "
                "VALUES (?, ?, ?, 0, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)",
                review_rows())
        timings["reviews"] = time.perf_counter() - start

        start = time.perf_counter()
        with store.transaction() as conn:
            conn.executemany(
                "UPDATE cards SET easiness_milli = ?, interval = ?, repetitions = ?, lapses = ?, "
                "due = ?, last_reviewed_at = ? || 'T12:00:00+00:00', last_seed = 0 "
                "WHERE item_id = ?",
                ((*state, item) for item, state in states.items()))
        timings["cards"] = time.perf_counter() - start
        store.conn.execute("ANALYZE")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 25))
    args = parser.parse_args()
    if args.db.exists():
        sys.exit(f"{args.db} exists; pass a new path")
    start = time.perf_counter()
    timings = build(args.db, args.items, args.reviews, args.today)
    total = time.perf_counter() - start
    print(f"built {args.items:,} items and {args.reviews:,} reviews in {total:.1f} s "
          f"(items {timings['items']:.1f} s, cards {timings['cards']:.1f} s, "
          f"reviews {timings['reviews']:.1f} s) -> {args.db}")


if __name__ == "__main__":
    main()
