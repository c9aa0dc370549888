"""Start-up and command latency, each as a ratio against a floor measured in the same run.

Run: python tests/bench/startup.py [--runs N] [--big DB]

With --big (a collection from tests/bench/make_collection.py; it is copied, not changed) it
also compares `drill status` on that collection with `drill status` on an empty one.
Prints the median wall time of each command and its ratio to its floor. The machine may be
shared and noisy: compare ratios, not seconds.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def median_time(argv: list[str], runs: int, env: dict) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--big", type=Path, help="a big collection to time `drill status` on")
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, DRILL_DB=str(Path(tmp) / "bench.db"))
        right = Path(tmp) / "relu_ok.py"
        right.write_text(
            "import numpy as np\n\ndef relu(z):\n    return np.maximum(z, 0)\n\n"
            "def relu_backward(dout, z):\n    return dout * (z > 0)\n"
        )
        subprocess.run([py, "-m", "drill", "status"], env=env, check=True, stdout=subprocess.DEVNULL)
        rows = [
            ("drill --help", [py, "-m", "drill", "--help"], "import click", [py, "-c", "import click"]),
            ("drill status", [py, "-m", "drill", "status"], "import click", [py, "-c", "import click"]),
            ("drill items --json", [py, "-m", "drill", "items", "--json"], "import click", [py, "-c", "import click"]),
            ("drill show forward-pass --seed 3", [py, "-m", "drill", "show", "forward-pass", "--seed", "3"],
             "import click", [py, "-c", "import click"]),
            ("drill check relu (right answer)", [py, "-m", "drill", "check", "relu", str(right), "--seed", "1"],
             "import numpy", [py, "-c", "import numpy"]),
        ]
        if args.big:
            import shutil

            big = Path(tmp) / "big.db"
            shutil.copy(args.big, big)
            big_env = dict(env, DRILL_DB=str(big))
            subprocess.run([py, "-m", "drill", "status"], env=big_env, check=True,
                           stdout=subprocess.DEVNULL)  # migrate the copy once, outside the timing
            rows.append(("drill status, big collection", [py, "-m", "drill", "status"],
                         "status, empty", [py, "-m", "drill", "status"]))
            envs = {"drill status, big collection": big_env}
        else:
            envs = {}
        print(f"{'command':<36} {'median':>9} {'floor':>14} {'floor median':>13} {'ratio':>6}")
        for name, argv, floor_name, floor_argv in rows:
            # Interleave command and floor so drift in machine load hits both alike.
            floor = median_time(floor_argv, args.runs, env)
            took = median_time(argv, args.runs, envs.get(name, env))
            print(f"{name:<36} {took * 1000:>7.1f}ms {floor_name:>14} {floor * 1000:>11.1f}ms {took / floor:>5.2f}x")


if __name__ == "__main__":
    main()
