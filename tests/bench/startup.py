"""Start-up and command latency, each as a ratio against a floor measured in the same run.

Run: python tests/bench/startup.py [--runs N] [--big DB]

With --big (a collection from tests/bench/make_collection.py; it is copied, not changed) it
also compares `drill status` on that collection with `drill status` on an empty one.
Each command and its floor run in turns (A B A B ...); it prints the median wall time of
each and the median of the per-pair ratios. The machine may be shared and noisy: compare
ratios, not seconds.
"""

import argparse
import sys
import tempfile
from pathlib import Path

from paired import Copies, bench_env, paired


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="pairs to run (default 15)")
    parser.add_argument("--big", type=Path, help="a big collection to time `drill status` on")
    args = parser.parse_args()
    py = sys.executable
    with Copies() as copies, tempfile.TemporaryDirectory() as tmp:
        env = copies.ready(copies.empty("bench.db"))
        right = Path(tmp) / "relu_ok.py"
        right.write_text(
            "import numpy as np\n\ndef relu(z):\n    return np.maximum(z, 0)\n\n"
            "def relu_backward(dout, z):\n    return dout * (z > 0)\n"
        )
        click_floor = ("python -c 'import click'", [py, "-c", "import click"], bench_env())
        rows = [
            ("drill --help", [py, "-m", "drill", "--help"], env, *click_floor),
            ("drill status", [py, "-m", "drill", "status"], env, *click_floor),
            ("drill items --json", [py, "-m", "drill", "items", "--json"], env, *click_floor),
            ("drill show forward-pass --seed 3",
             [py, "-m", "drill", "show", "forward-pass", "--seed", "3"], env, *click_floor),
            ("drill check relu (right answer)",
             [py, "-m", "drill", "check", "relu", str(right), "--seed", "1"], env,
             "python -c 'import numpy'", [py, "-c", "import numpy"], bench_env()),
        ]
        if args.big:
            big = copies.ready(copies.copy(args.big, "big.db"))
            rows.append(("drill status, big collection", [py, "-m", "drill", "status"], big,
                         "drill status, empty database", [py, "-m", "drill", "status"], env))
        for name, argv, run_env, floor_name, floor_argv, floor_env in rows:
            print(paired(name, argv, run_env, floor_name, floor_argv, floor_env,
                         runs=args.runs).line(), flush=True)


if __name__ == "__main__":
    main()
