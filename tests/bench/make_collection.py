"""Build a synthetic collection through drill's own store, for benchmarks.

    python tests/bench/make_collection.py --items 100000 --reviews 1000000 --db /tmp/big.db

The built-in deck is synced as usual; the synthetic items live in a deck of their own
("bench"), with cards in varied SM-2 states and due dates, and reviews spread over years.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from drill.collection import open_collection

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
        store.sync_items(DECK, rows, datetime.now(timezone.utc))
        timings["items"] = time.perf_counter() - start

        start = time.perf_counter()
        cards = []
        for n in range(items):
            if rng.random() < 0.1:
                continue  # about a tenth stay new
            reps = rng.randint(1, 8)
            interval = min(365, int(6 * 2.5 ** (reps - 2))) if reps > 1 else 1
            due = today + timedelta(days=rng.randint(-30, interval))
            ef = rng.choice(range(1300, 2900, 20))
            cards.append((ef, interval, reps, due.isoformat(), rng.randint(0, 4), f"bench-{n:06d}"))
        with store.transaction() as conn:
            conn.executemany(
                "UPDATE cards SET easiness_milli = ?, interval = ?, repetitions = ?, due = ?, "
                "lapses = ? WHERE item_id = ?", cards)
        timings["cards"] = time.perf_counter() - start

        start = time.perf_counter()
        first_day = today - timedelta(days=3 * 365)

        days = [(first_day + timedelta(days=k)).isoformat() for k in range(3 * 365 + 7)]
        ids = [f"bench-{n:06d}" for n in range(items)]

        def review_rows():
            for _ in range(reviews):
                k = rng.randrange(3 * 365)
                quality = rng.choice((1, 3, 4, 4, 5, 5))
                yield (days[k] + "T12:00:00+00:00", days[k], ids[rng.randrange(items)], quality,
                       int(quality >= 3), rng.randint(2000, 60000), days[k], days[k + 6])

        # One transaction and executemany over a generator: no row is held in memory.
        with store.transaction() as conn:
            conn.executemany(
                "INSERT INTO reviews (reviewed_at, day, item_id, seed, quality, correct, "
                "response_ms, redrill, easiness_before, interval_before, repetitions_before, "
                "due_before, easiness_after, interval_after, repetitions_after, due_after) "
                "VALUES (?, ?, ?, 0, ?, ?, ?, 0, 2500, 1, 1, ?, 2500, 6, 2, ?)",
                review_rows())
        timings["reviews"] = time.perf_counter() - start
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
