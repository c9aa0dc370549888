"""Paired timing for the benchmark scripts: a command and its floor run in turns (A B A B ...),
so that a shared, noisy machine slows both alike, and each figure is a ratio measured in
the same run. Also the peak memory of one child process, from the kernel (wait4).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def bench_env(**extra: str) -> dict:
    """The environment for timed runs: as installed, Python keeps compiled modules, so a
    shell that turned that off must not make every run time the compiler."""
    env = dict(os.environ, **extra)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


@dataclass
class Run:
    seconds: float
    peak_mib: float


def run_once(argv: list[str], env: dict, stdin: bytes | None = None) -> Run:
    """Run a command to its end; its wall time and its peak resident memory."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if stdin:
        proc.stdin.write(stdin)
        proc.stdin.close()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):  # 1: e.g. doctor's findings; anything else is a failure
        sys.exit(f"{' '.join(map(str, argv))} failed ({proc.returncode}): {err.decode()[-500:]}")
    return Run(seconds, usage.ru_maxrss / 1024)


@dataclass
class Pairs:
    name: str
    floor_name: str
    a: list[Run]
    b: list[Run]

    @property
    def ratio(self) -> float:
        """The median of the per-pair ratios."""
        return statistics.median(x.seconds / y.seconds for x, y in zip(self.a, self.b))

    @property
    def memory_ratio(self) -> float:
        return statistics.median(x.peak_mib for x in self.a) / statistics.median(y.peak_mib for y in self.b)

    def line(self, target: str = "", memory: bool = False) -> str:
        a = statistics.median(x.seconds for x in self.a) * 1000
        b = statistics.median(y.seconds for y in self.b) * 1000
        text = (f"{self.name:<44} {a:>8.0f} ms  vs {self.floor_name:<28} {b:>7.0f} ms  "
                f"{self.ratio:>6.2f}x")
        if memory:
            text += (f"  peak {statistics.median(x.peak_mib for x in self.a):.0f} vs "
                     f"{statistics.median(y.peak_mib for y in self.b):.0f} MiB "
                     f"{self.memory_ratio:.2f}x")
        return text + (f"  (target {target})" if target else "")


def paired(name: str, argv: list[str], env: dict, floor_name: str, floor_argv: list[str],
           floor_env: dict | None = None, runs: int = 7) -> Pairs:
    """Run `argv` and its floor in turns, after one untimed run of each (disk cache)."""
    floor_env = env if floor_env is None else floor_env
    run_once(argv, env), run_once(floor_argv, floor_env)
    a, b = [], []
    for _ in range(runs):
        a.append(run_once(argv, env))
        b.append(run_once(floor_argv, floor_env))
    return Pairs(name, floor_name, a, b)


class Copies:
    """Working copies of databases in a temporary folder: a benchmark never changes the
    collection it is given (drill migrates and backs up the database it opens)."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="drill-bench-")
        self.folder = Path(self._tmp.name)

    def copy(self, db: Path, name: str) -> Path:
        target = self.folder / name
        shutil.copyfile(db, target)
        return target

    def empty(self, name: str) -> Path:
        return self.folder / name

    def ready(self, db: Path) -> dict:
        """An environment for `db`, opened once (migrated, today's backup made) outside any
        timing."""
        env = bench_env(DRILL_DB=str(db), XDG_DATA_HOME=str(self.folder / "data"),
                        XDG_CONFIG_HOME=str(self.folder / "config"))
        subprocess.run([sys.executable, "-m", "drill", "status"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        return env

    def __enter__(self) -> Copies:
        return self

    def __exit__(self, *exc) -> None:
        self._tmp.cleanup()
