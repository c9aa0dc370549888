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

PLAIN_JSON = """
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
items, retention = [], []
for i, title, ef, ivl, reps, lapses, due, correct, graded in conn.execute(
        "SELECT i.id, i.title, c.easiness_milli, c.interval, c.repetitions, c.lapses, c.due, "
        "COALESCE(t.correct, 0), COALESCE(t.graded, 0) FROM items i JOIN cards c ON c.item_id = i.id "
        "LEFT JOIN item_tallies t ON t.item_id = i.id WHERE i.retired_at IS NULL "
        "ORDER BY i.deck != 'dl_foundations', i.deck, i.position, i.id"):
    items.append({"id": i, "title": title, "easiness": ef / 1000, "interval": ivl,
                  "repetitions": reps, "lapses": lapses, "due": due, "leech": lapses >= 3,
                  "failed_variants": []})
    retention.append({"id": i, "correct": correct, "total": graded,
                      "rate": correct / graded if graded else None})
sys.stdout.write(json.dumps({"items": items, "retention": retention}))
"""


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
        # What writing that much JSON costs anyway: the same per-item rows, read with sqlite3
        # and written with json.dumps, nothing else.
        plain = paired("drill stats --json, big collection", [py, "-m", "drill", "stats", "--json"],
                       big, "the same rows, sqlite3 + json", [py, "-c", PLAIN_JSON, big["DRILL_DB"]],
                       big, runs=args.runs)
        print(plain.line() + "  (for scale: about the least Python pays to write it)")


if __name__ == "__main__":
    main()
