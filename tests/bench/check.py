"""`drill check` of a right answer, as a ratio against `python -c "import numpy"`.

Run: python tests/bench/check.py [--runs N] [--item relu]

The two commands run in pairs (check, floor, check, floor, ...) so that a noisy, shared
machine slows both alike; the ratio printed is the median of the per-pair ratios, next to
the ratio of the medians. The target: at most 2.5x. It also prints which protections were
in force, since namespaces and Landlock are part of what is timed.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = 2.5


def timed(argv: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="pairs to run (default 15)")
    parser.add_argument("--item", default="relu", help="a code item; its reference is the answer")
    args = parser.parse_args()
    py = sys.executable
    answer = next((ROOT / "decks" / "dl_foundations").glob(f"*-{args.item}/reference.py"))
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, DRILL_DB=str(Path(tmp) / "bench.db"))
        # As installed, Python keeps compiled modules: a shell that turned that off would time
        # the compiler on every run.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        check = [py, "-m", "drill", "check", args.item, str(answer), "--seed", "1"]
        floor = [py, "-c", "import numpy"]
        report = subprocess.run([*check, "--json"], env=env, capture_output=True, text=True)
        data = json.loads(report.stdout)
        if not data["passed"]:
            sys.exit(f"the reference did not pass its own check: {data['cases']}")
        timed(check, env), timed(floor, env)  # warm the disk cache for both
        checks, floors = [], []
        for _ in range(args.runs):
            checks.append(timed(check, env))
            floors.append(timed(floor, env))
    ratios = [c / f for c, f in zip(checks, floors)]
    median_ratio = statistics.median(ratios)
    print(f"isolation in force: {', '.join(data['isolation']) or 'none'}")
    print(f"drill check {args.item} (right answer): median {statistics.median(checks) * 1000:.0f} ms")
    print(f"python -c 'import numpy':          median {statistics.median(floors) * 1000:.0f} ms")
    print(f"ratio, median of {args.runs} paired runs: {median_ratio:.2f}x "
          f"(ratio of medians {statistics.median(checks) / statistics.median(floors):.2f}x; "
          f"target <= {TARGET}x)")
    sys.exit(0 if median_ratio <= TARGET else 1)


if __name__ == "__main__":
    main()
