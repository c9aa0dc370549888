"""Peak memory (max RSS) of review start-up and of the biggest export, against a floor.

    python tests/bench/memory.py [--db /tmp/big.db]

Each command runs in its own child process; its peak resident size is read from the kernel
(getrusage of the waited child). The floor is `python -c "import numpy"`. With --db, the
commands work on a copy of that collection, never on the file itself.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

MEASURE = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
    "stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)
REVIEW_START = (
    "from drill.collection import open_collection; from drill import session, review_ui; "
    "import rich.console; s = session.start(open_collection(), new_limit=12); s.next()"
)


def peak_kib(argv: list[str], env: dict) -> int:
    out = subprocess.run([sys.executable, "-c", MEASURE, *argv], env=env, check=True,
                         capture_output=True, text=True)
    return int(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a big collection (tests/bench/make_collection.py)")
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "m.db"
        if args.db:
            shutil.copyfile(args.db, db)  # drill migrates and backs up what it opens
        env = dict(os.environ, DRILL_DB=str(db))
        floor = peak_kib([py, "-c", "import numpy"], env)
        rows = [
            ("review start-up (session + first card + rich)", [py, "-c", REVIEW_START]),
            ("export anki --variants 20", [py, "-m", "drill", "export", "anki", "-o",
                                           str(Path(tmp) / "x.apkg"), "--variants", "20"]),
        ]
        print(f"{'floor: python -c import numpy':<48} {floor / 1024:>7.1f} MiB")
        for name, argv in rows:
            kib = peak_kib(argv, env)
            print(f"{name:<48} {kib / 1024:>7.1f} MiB  {kib / floor:>5.2f}x")


if __name__ == "__main__":
    main()
