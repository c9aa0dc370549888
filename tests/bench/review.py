"""`drill review` in a real terminal: launch to the first card, and `q` to the session's summary,
on a big collection against an empty database; runs paired (big, empty, big, empty, ...).

    python tests/bench/make_collection.py --items 100000 --reviews 1000000 --db /tmp/big.db
    python tests/bench/review.py --db /tmp/big.db [--runs 7]

Each run starts `python -m drill review` in a pseudo-terminal, waits for the first card's
"Press Enter" (the empty database has the built-in deck's new cards; the big one its 46k due
cards), presses q and waits for the summary's "Streak:". Works on copies of the databases.
Targets: launch at most 1.3x the empty database's; q to summary at most 50 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pexpect
from paired import Copies

FIRST_CARD = r"Press Enter|Your answer|Starter|The code with the bug"


def review_once(env: dict) -> tuple[float, float]:
    """(seconds from launch to the first card, seconds from q to the summary)."""
    start = time.perf_counter()
    child = pexpect.spawn(sys.executable, ["-m", "drill", "review"], env={**env, "TERM": "xterm",
                          "NO_COLOR": "1"}, encoding="utf-8", timeout=120, dimensions=(50, 120))
    child.delaybeforesend = None  # pexpect waits 50 ms before each send by default
    child.expect(FIRST_CARD)
    launched = time.perf_counter() - start
    quit_at = time.perf_counter()
    child.send("q\r" if "Your answer" in child.after else "q")
    child.expect("Streak:")
    summary = time.perf_counter() - quit_at
    child.expect(pexpect.EOF)
    child.close()
    return launched, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a big collection")
    parser.add_argument("--runs", type=int, default=7, help="pairs to run (default 7)")
    args = parser.parse_args()
    with Copies() as copies:
        big = copies.ready(copies.copy(args.db, "big.db"))
        empty_db = copies.empty("empty.db")
        empty = copies.ready(empty_db)
        review_once(big), review_once(empty)  # warm the disk cache
        pairs = []
        for _ in range(args.runs):
            pairs.append((review_once(big), review_once(empty)))
    launch_ratio = statistics.median(b[0] / e[0] for b, e in pairs)
    big_launch = statistics.median(b[0] for b, _ in pairs) * 1000
    empty_launch = statistics.median(e[0] for _, e in pairs) * 1000
    big_q = statistics.median(b[1] for b, _ in pairs) * 1000
    empty_q = statistics.median(e[1] for _, e in pairs) * 1000
    print(f"drill review launch -> first card, big collection {big_launch:>6.0f} ms  vs empty "
          f"database {empty_launch:>6.0f} ms  {launch_ratio:.2f}x  (target <= 1.3x)")
    print(f"q -> session summary, big collection             {big_q:>6.0f} ms  vs empty "
          f"database {empty_q:>6.0f} ms  {statistics.median(b[1] / e[1] for b, e in pairs):.2f}x"
          f"  (target <= 50 ms)")


if __name__ == "__main__":
    main()
