"""`drill check` of a right answer, as a ratio against `python -c "import numpy"`.

Run: python tests/bench/check.py [--runs N] [--item relu]

Two rows. `drill check` as a command, cold (target: at most 2.5x); and one check inside
`drill review`, in the review's warm worker, timed in this process once the worker is up
and one check has run, as in a review after its first code card (target: at most 0.5x).
The warm worker keeps the next check's child ready ahead, set up while the learner writes;
the benchmark waits (untimed) until it is, so that nothing overlaps what it times.
Each runs in pairs with the floor (check, floor, check, floor, ...) so that a noisy, shared
machine slows both alike; the ratio printed is the median of the per-pair ratios, next to
the ratio of the medians. It also prints which protections were in force, since namespaces
and Landlock are part of what is timed.
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
WARM_TARGET = 0.5


def timed(argv: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def row(label: str, checks: list[float], floors: list[float], target: float) -> bool:
    """Print one row; True when the median of the per-pair ratios meets `target`."""
    ratios = [c / f for c, f in zip(checks, floors)]
    median_ratio = statistics.median(ratios)
    print(f"{label}: median {statistics.median(checks) * 1000:.0f} ms, "
          f"python -c 'import numpy': median {statistics.median(floors) * 1000:.0f} ms")
    print(f"  ratio, median of {len(ratios)} paired runs: {median_ratio:.2f}x "
          f"(ratio of medians {statistics.median(checks) / statistics.median(floors):.2f}x; "
          f"target <= {target}x)")
    return median_ratio <= target


def warm_pairs(item_id: str, answer: Path, runs: int, floor: list[str], env: dict) -> tuple[list, list]:
    """(check, floor) times: one check in a warm worker, in this process, and the floor."""
    from drill import checker, loader, warm

    item = next(i for i in loader.load_builtin().items if i.id == item_id)
    source = answer.read_bytes()
    server = warm.Server()
    try:
        first = checker.check_source(item, source, 1, server=server)  # NumPy loaded on both sides
        if not (first.passed and server.alive):
            sys.exit("the warm worker did not check the reference (it passed cold?)")
        checks, floors = [], []
        for _ in range(runs):
            # In a review the next check's child gets ready while the learner reads a report
            # and writes the next answer; wait for it here, untimed, so it overlaps nothing.
            server.settle()
            start = time.perf_counter()
            report = checker.check_source(item, source, 1, server=server)
            checks.append(time.perf_counter() - start)
            server.settle()
            floors.append(timed(floor, env))
            if not (report.passed and server.alive):
                sys.exit("a check ran cold, or the reference failed, in the warm worker")
    finally:
        server.close()
    return checks, floors


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
        warm_checks, warm_floors = warm_pairs(args.item, answer, args.runs, floor, env)
    print(f"isolation in force: {', '.join(data['isolation']) or 'none'}")
    met = row(f"drill check {args.item} (right answer)", checks, floors, TARGET)
    met &= row("one check inside review (warm worker)", warm_checks, warm_floors, WARM_TARGET)
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
