"""`drill stats` and `drill stats --json` on a big collection against the same command on an
empty database, wall time and peak memory, runs paired (big, empty, big, empty, ...).

    python tests/bench/make_collection.py --items 100000 --reviews 1000000 --db /tmp/big.db
    python tests/bench/stats.py --db /tmp/big.db [--runs 7]

Works on copies: the collection given is never changed. Targets: `drill stats` at most 3x
the empty database's time and 2x its peak memory; `drill stats --json` at most 3x.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from paired import Copies, paired


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a big collection")
    parser.add_argument("--runs", type=int, default=7, help="pairs to run (default 7)")
    args = parser.parse_args()
    py = sys.executable
    with Copies() as copies:
        big = copies.ready(copies.copy(args.db, "big.db"))
        empty = copies.ready(copies.empty("empty.db"))
        human = paired("drill stats, big collection", [py, "-m", "drill", "stats"], big,
                       "drill stats, empty database", [py, "-m", "drill", "stats"], empty,
                       runs=args.runs)
        print(human.line("<= 3x, memory <= 2x", memory=True))
        as_json = paired("drill stats --json, big collection", [py, "-m", "drill", "stats", "--json"],
                         big, "drill stats --json, empty", [py, "-m", "drill", "stats", "--json"],
                         empty, runs=args.runs)
        print(as_json.line("<= 3x", memory=True))


if __name__ == "__main__":
    main()
