"""`drill doctor` on a big collection against a plain read of the review log, and its peak
memory at two lengths of log.

    python tests/bench/doctor.py --db /tmp/big.db [--runs 5] [--small-reviews 100000]

Works on a copy of --db (never the file itself). The floor is `python -c` reading, with
sqlite3 and nothing else, the review-log rows the doctor reads: every counted grade in item
order (the reviews_item index) with the columns it replays and the text it checks, then the
rows it checks the text of only (re-drills, undone grades). A second floor reads only what
the replay needs, in id order (what the doctor read before it streamed). Doctor and floor
run in turns (A B A B), so load on a shared machine hits both alike; the figure is the
median of the per-pair ratios.

Memory: the doctor's peak resident size (wait4 of the child) on the copy and on a
collection with the same number of items and --small-reviews reviews, built here with
make_collection.py: the same figure means memory does not grow with the log.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from paired import ROOT, Copies, paired, run_once

READ = ("import sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1])\n"
        "for sql in sys.argv[2:]:\n"
        "    for row in conn.execute(sql):\n"
        "        pass\n")
REPLAY_ONLY = ("SELECT id, item_id, reviewed_at, day, quality, source FROM live_reviews "
               "WHERE redrill = 0 ORDER BY id")


def log_queries(db: Path) -> list[str]:
    """The two queries the doctor reads the review log with (built as drill.doctor does)."""
    from drill import doctor

    conn = sqlite3.connect(db)
    try:
        text = [c for c in doctor._text_columns(conn, "reviews") if c not in ("day", "source", "item_id")]
        counted = (f"SELECT {doctor._quoted(['id', 'day', 'quality', 'source', 'item_id', *text])} "
                   "FROM live_reviews WHERE redrill = 0 ORDER BY item_id, id")
        rest = (f"SELECT {doctor._quoted(doctor._text_columns(conn, 'reviews'))} FROM reviews "
                "WHERE (redrill = 0) IS NOT 1 OR id IN (SELECT review_id FROM undos)")
        return [counted, rest]
    finally:
        conn.close()


def counts(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        return (conn.execute("SELECT COUNT(*) FROM items").fetchone()[0],
                conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0])
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a big collection (make_collection.py)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--small-reviews", type=int, default=100_000,
                        help="reviews in the shorter log the memory is compared on")
    args = parser.parse_args()
    py = sys.executable
    with Copies() as copies:
        big = copies.copy(args.db, "big.db")
        env = copies.ready(big)
        items, reviews = counts(big)
        doctor = [py, "-m", "drill", "doctor"]
        check = subprocess.run(doctor, env=env, capture_output=True, text=True, check=False)
        health = check.stdout.strip().splitlines()[-1] if check.returncode == 0 else (
            check.stderr.strip().splitlines()[-1])
        print(f"{items:,} items, {reviews:,} reviews: {health}")
        if check.returncode != 0:
            print("  (not a healthy collection: rebuild it with tests/bench/make_collection.py; the doctor"
                  " holds its findings to list them, so its memory here grows with their number)")

        floor = [py, "-c", READ, str(big), *log_queries(big)]
        pairs = paired("drill doctor", doctor, env, "read of the same log rows", floor,
                       runs=args.runs)
        print(pairs.line("<= 1.5x"))
        old_floor = [py, "-c", READ, str(big), REPLAY_ONLY]
        narrow = paired("drill doctor", doctor, env, "read of the replay's columns", old_floor,
                        runs=args.runs)
        print(narrow.line("for reference"))
        full = paired("drill doctor --full", [*doctor, "--full"], env, "read of the same log rows",
                      floor, runs=args.runs)
        print(full.line("for reference"))

        small = copies.empty("small.db")
        subprocess.run([py, str(ROOT / "tests/bench/make_collection.py"), "--items", str(items),
                        "--reviews", str(args.small_reviews), "--db", str(small)],
                       check=True, stdout=subprocess.DEVNULL)
        small_env = copies.ready(small)
        peaks = {}
        for name, db_env, n in (("short", small_env, counts(small)[1]), ("long", env, reviews)):
            peaks[name] = statistics.median(run_once(doctor, db_env).peak_mib for _ in range(3))
            print(f"peak memory, drill doctor on {n:>9,} reviews: {peaks[name]:6.1f} MiB")
        print(f"long / short: {peaks['long'] / peaks['short']:.2f}x "
              f"(target: flat, about 1.0x, for {reviews / counts(small)[1]:.0f}x the reviews)")


if __name__ == "__main__":
    main()
