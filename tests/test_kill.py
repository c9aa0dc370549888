"""Backup, restore, exports, doctor --repair and migrations killed at random points.

Each command runs as a real child process (`python -m drill ...`) on its own copy of a
collection of 1,500 reviews with long typed answers (about 12.5 MB, so a copy of it takes
tens of milliseconds), and is killed with SIGKILL after a delay drawn from a seeded RNG
across the duration of an unkilled run (measured first; rounds run two at a time, each in
its own folder). After every kill:

1. the database passes `PRAGMA integrity_check`;
2. every grade acknowledged before the command started is in `reviews`, and every card is
   what its review log gives (`drill.doctor.examine`), bar the cards a test tampered with
   itself and doctor --repair had not fixed yet;
3. every file named like a backup (`backups/*.db`, and the PATH of `drill backup PATH`)
   is a sound backup: it opens read-only, passes `PRAGMA quick_check`, has drill's tables
   and the grades the database held when it was made, and is not in WAL journal mode;
4. the next run of the same command succeeds, and leaves no stale temporary file of ours
   (`.drill-*`, `*.part` beside the database, its backups or the output; `drill-*` in the
   child's private TMPDIR);
5. a restore leaves either the whole state before it or the whole backup, never a mix, and
   when it is the backup, the state before is kept in a `before-restore` backup.

One more test per command sends SIGTERM instead: the command exits, leaving no temporary
file and no half-written backup.

The seed is printed in every failure; DRILL_KILL_SEED=N replays a run.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from drill import doctor, migrations
from drill.store import Store

SEED_ENV = "DRILL_KILL_SEED"
NOW = "2026-11-25T09:00:00+00:00"  # the clock of the template and of most commands
NEXT_DAY = "2026-11-26T09:00:00+00:00"  # a new learning day: the first command backs up
GRADES = 1500  # reviews in the template collection
ANSWER_PAD = 8000  # characters of typed answer per review: ~12.5 MB in all
OLD_SCHEMA = 3  # the migration test starts from a database at this schema version
OUR_TABLES = ("items", "cards", "reviews", "settings")
RUN_TIMEOUT = 60


def _seed() -> int:
    return int(os.environ.get(SEED_ENV, random.SystemRandom().randrange(10**6)))


SEED = _seed()


# -- the collections every round starts from ------------------------------------------------


@dataclass
class Templates:
    current: Path  # the latest schema, GRADES reviews, today's automatic backup made
    restore_source: Path  # a backup (rollback journal) whose history went another way
    old: Path  # the same collection at schema OLD_SCHEMA, in WAL mode as drill leaves it


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> Templates:
    from drill.collection import open_collection

    folder = tmp_path_factory.mktemp("kill-templates")
    current = folder / "drill.db"
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("DRILL_NOW", NOW)
            mp.setenv("TZ", "UTC")
            time.tzset()
            with open_collection(current) as collection:
                store = collection.store
                ids = [item.id for deck in collection.decks.values() for item in deck.items]
                rng = random.Random(1)
                start = datetime.fromisoformat("2025-01-01T09:00:00+00:00")
                pad = "x" * ANSWER_PAD
                for k in range(GRADES):
                    store.grade(rng.choice(ids), rng.randint(0, 5), seed=0, answer=pad,
                                when=start + timedelta(hours=2 * k))
                # today's automatic backup counts as made: only the daily test wants one
                store.set_setting("last_backup_day", NOW[:10])
            source = folder / "source.db"
            shutil.copyfile(current, source)
            with Store.open(source) as store:
                for k in range(25):
                    store.grade(ids[k % len(ids)], 5 - k % 3, answer="restored",
                                when=datetime.fromisoformat(NOW) - timedelta(minutes=50 - k))
            conn = sqlite3.connect(source)
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.close()
    finally:
        time.tzset()  # back to the TZ of the environment
    assert not Path(f"{current}-wal").exists() and not Path(f"{source}-wal").exists()
    return Templates(current, source, _old_schema_copy(current, folder / "old.db"))


def _old_schema_copy(current: Path, target: Path) -> Path:
    """The collection at schema OLD_SCHEMA: its first migrations, then every row copied."""
    conn = sqlite3.connect(target, isolation_level=None)
    for migration in migrations.migrations()[:OLD_SCHEMA]:
        for statement in migrations._statements(migration.sql):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {migration.version}")
    conn.execute("ATTACH DATABASE ? AS t", [str(current)])
    conn.execute("BEGIN")
    for (table,) in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' ORDER BY rowid").fetchall():
        columns = ", ".join(row[1] for row in conn.execute(f"PRAGMA main.table_info({table})"))
        conn.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM t.{table}")
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE t")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    return target


# -- reading a database without changing it ---------------------------------------------------


def _grades(conn: sqlite3.Connection) -> list[tuple]:
    """Every grade with its values (the long typed answers by their length)."""
    return conn.execute(
        "SELECT id, item_id, reviewed_at, day, quality, length(answer), easiness_after, "
        "interval_after, repetitions_after, due_after FROM reviews ORDER BY id").fetchall()


def _state(conn: sqlite3.Connection) -> tuple[list, list]:
    cards = conn.execute("SELECT * FROM cards ORDER BY item_id").fetchall()
    return _grades(conn), cards


def _copy_with_companions(path: Path, folder: Path, suffixes=("", "-journal", "-wal", "-shm")) -> Path:
    """Copy a database file and whatever journal lies beside it, as they are."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for suffix in suffixes:
        companion = Path(f"{path}{suffix}")
        if companion.exists():
            shutil.copyfile(companion, folder / f"{path.name}{suffix}")
    return folder / path.name


def _ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)


def backup_problem(path: Path, expected_grades: list[tuple], scratch: Path) -> str | None:
    """Why `path` is not a sound backup holding `expected_grades`, or None."""
    with path.open("rb") as fh:
        header = fh.read(20)
    # Bytes 18-19 are 2 in a WAL database: then even a read-only open writes -wal and -shm
    # files beside it, so that one is checked as a copy (with whatever lies beside it).
    wal = header[18:20] == b"\x02\x02"
    copy = _copy_with_companions(path, scratch / "backup-check") if wal else path
    try:
        conn = _ro(copy)
        try:
            quick = conn.execute("PRAGMA quick_check").fetchall()
            if quick != [("ok",)]:
                return f"quick_check says {quick[:3]}"
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            missing = [t for t in OUR_TABLES if t not in tables]
            if missing:
                return f"has no table {', '.join(missing)} (tables: {sorted(tables)})"
            grades = _grades(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"does not open read-only ({exc})"
    if grades != expected_grades:
        return (f"holds {len(grades)} grades, the database held {len(expected_grades)} "
                f"when it was made{'' if len(grades) != len(expected_grades) else ' (other values)'}")
    if wal:
        bare = scratch / "backup-check" / "bare.db"
        shutil.copyfile(path, bare)
        conn = sqlite3.connect(bare)
        try:
            (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
        finally:
            conn.close()
        return f"is in WAL journal mode (PRAGMA journal_mode of a copy: {mode})"
    return None


# -- one round: a fresh copy of a collection, one command, checks ---------------------------


@dataclass
class Scenario:
    name: str
    args: Callable[[Round], list[str]]
    now: str = NOW
    kills: int = 8
    template: str = "current"  # or "old"
    extra_grades: bool = True  # grade a few cards in-process just before the command
    hold: bool = False  # sometimes keep those grades in an open WAL, as a review would
    tamper: bool = False  # set some cards' interval behind drill's back (doctor)
    restore: bool = False
    path_arg: bool = False  # drill backup PATH
    export: str | None = None  # "apkg" or "html"


@dataclass
class Outcome:
    signalled: bool  # the signal reached a running process
    returncode: int | None
    stdout: str
    stderr: str
    elapsed: float
    first_artifact: float | None = None  # when a new file first appeared in a watched folder


@dataclass
class Round:
    scenario: Scenario
    root: Path
    templates: Templates
    rng: random.Random
    scratch: Path
    expected: list[tuple] = field(default_factory=list)  # acknowledged grades
    tampered: set[str] = field(default_factory=set)
    verified: dict[Path, tuple] = field(default_factory=dict)  # backups already checked
    held: Store | None = None

    def __post_init__(self):
        self.db_dir = self.root / "db"
        self.db = self.db_dir / "drill.db"
        self.backups = self.db_dir / "backups"
        self.out = self.root / "out"
        self.tmp = self.root / "tmp"
        self.source = self.root / "source" / "backup.db"
        for folder in (self.db_dir, self.out, self.tmp, self.source.parent):
            folder.mkdir(parents=True)
        self.scratch.mkdir(parents=True, exist_ok=True)
        self.path = self.out / "copy.db"  # drill backup PATH
        self.output = self.out / f"export.{self.scenario.export}"
        scenario = self.scenario
        template = self.templates.old if scenario.template == "old" else self.templates.current
        shutil.copyfile(template, self.db)
        if scenario.restore:
            shutil.copyfile(self.templates.restore_source, self.source)
        if scenario.extra_grades:
            self._grade_now()
        if scenario.tamper:
            conn = sqlite3.connect(self.db)
            ids = [r[0] for r in conn.execute("SELECT item_id FROM cards ORDER BY item_id")]
            self.tampered = set(self.rng.sample(ids, self.rng.randint(1, 3)))
            with conn:
                conn.executemany("UPDATE cards SET interval = interval + 3 WHERE item_id = ?",
                                 [(i,) for i in sorted(self.tampered)])
            conn.close()
        conn = sqlite3.connect(self.db)
        try:
            self.expected = _grades(conn)
            self.before = _state(conn)
        finally:
            conn.close()
        self.restore_state = None
        if scenario.restore:
            conn = _ro(self.source)
            self.restore_state = _state(conn)
            conn.close()

    def _grade_now(self) -> None:
        """A few grades made and acknowledged just before the command starts; sometimes they
        stay in the WAL of a connection that is still open, as a running review's would."""
        hold = self.scenario.hold and self.rng.random() < 0.5
        store = Store.open(self.db)
        if hold:
            store.conn.execute("PRAGMA wal_autocheckpoint = 0")
        ids = [r[0] for r in store.conn.execute("SELECT item_id FROM cards ORDER BY item_id")]
        moment = datetime.fromisoformat(NOW)
        for k in range(self.rng.randint(1, 12)):
            store.grade(self.rng.choice(ids), self.rng.randint(0, 5), answer="now",
                        when=moment - timedelta(minutes=30 - k))
        if hold:
            self.held = store
        else:
            store.close()

    def release(self) -> None:
        if self.held is not None:
            self.held.close()
            self.held = None

    # -- running -------------------------------------------------------------------------

    def env(self) -> dict:
        return dict(os.environ, DRILL_DB=str(self.db), DRILL_NOW=self.scenario.now, TZ="UTC",
                    TMPDIR=str(self.tmp), COLUMNS="100", NO_COLOR="1")

    def watched(self) -> list[Path]:
        return [self.db_dir, self.backups, self.out, self.tmp]

    def listing(self) -> set[str]:
        names = set()
        for folder in self.watched():
            try:
                names.update(f"{folder}/{e.name}" for e in os.scandir(folder)
                             if not e.name.startswith(self.db.name) and e.name != "backups")
            except FileNotFoundError:
                pass
        return names

    def run(self, args: list[str], *, delay: float | None = None, sig=signal.SIGKILL,
            watch: bool = False, on_artifact: bool = False) -> Outcome:
        """Run drill; with `delay`, send `sig` after that many seconds (or, with
        `on_artifact`, as soon as a new file shows up, whichever comes first)."""
        before = self.listing() if (watch or on_artifact) else set()
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "drill", *args], env=self.env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first, signalled = None, False
        deadline = started + (delay if delay is not None else RUN_TIMEOUT)
        if watch or on_artifact:
            while proc.poll() is None and time.monotonic() < deadline:
                if first is None and self.listing() - before:
                    first = time.monotonic() - started
                    if on_artifact:
                        break
                time.sleep(0.001)
        if not (on_artifact and first is not None):
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                if delay is None:
                    proc.kill()
                    proc.communicate()
                    raise AssertionError(
                        f"seed {SEED}: drill {' '.join(args)} ran over {RUN_TIMEOUT} s") from None
        if proc.poll() is None:
            proc.send_signal(sig)
            signalled = True
        try:
            stdout, stderr = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            stdout, stderr = proc.communicate()
            raise AssertionError(f"seed {SEED}: drill {' '.join(args)} did not exit on {sig!r}") from None
        return Outcome(signalled, proc.returncode, stdout, stderr, time.monotonic() - started, first)

    # -- checking ------------------------------------------------------------------------

    def backup_files(self) -> list[Path]:
        files = sorted(self.backups.glob("*.db")) if self.backups.is_dir() else []
        if self.scenario.path_arg and self.path.exists():
            files.append(self.path)
        return files

    def stale(self) -> list[str]:
        found = []
        for folder in (self.db_dir, self.backups, self.out):
            if folder.is_dir():
                found += [str(p) for p in folder.iterdir()
                          if p.name.startswith(".drill-") or p.name.endswith(".part")]
        found += [str(p) for p in self.tmp.iterdir()
                  if p.name.startswith(("drill-", ".drill-")) or p.name.endswith(".part")]
        return found

    def check(self, grades_at_start: list[tuple], after: str, cards: bool = True,
              tampered_ok: bool = True) -> list[tuple[str, str]]:
        """Problems as (kind, message): integrity, grades, cards, restore, backup, export.

        The database is read through a copy of its files (nothing runs on it now, so the
        copy is consistent; SQLite recovers the copy's WAL as it would the original's), so
        the next run finds exactly what the kill left.
        """
        problems = []
        copy = _copy_with_companions(self.db, self.scratch / "db", ("", "-journal", "-wal"))
        conn = sqlite3.connect(copy, isolation_level=None)
        try:
            self.state, self.version = ([], []), None
            integrity = conn.execute("PRAGMA integrity_check").fetchall()
            if integrity != [("ok",)]:
                return [("1 integrity", f"{after}: integrity_check says {integrity[:3]}")]
            state = _state(conn)
            version = migrations.schema_version(conn)
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            review_columns = {r[1] for r in conn.execute("PRAGMA table_info(reviews)")}
            if cards:  # doctor's examination, on the copy brought to the latest schema
                migrations.apply(conn)
                problems += self._cards(after, Store(conn, copy),
                                        self.tampered if tampered_ok else set())
        finally:
            conn.close()
        self.state, self.version = state, version
        if self.scenario.template == "old":
            whole = {3: "last_seed_before" not in review_columns and "selfcheck_attempts" not in tables,
                     4: "last_seed_before" in review_columns and "selfcheck_attempts" not in tables,
                     5: "selfcheck_attempts" in tables and "anki_notes" not in tables,
                     6: "anki_notes" in tables and "source" not in review_columns,
                     7: "anki_notes" in tables and "source" in review_columns}
            if not whole.get(version, version == migrations.latest_version()):
                problems.append(("1 integrity", (f"{after}: schema version {version} with the "
                                 f"tables of another version (a migration half applied)")))
        if self.scenario.restore:
            if state == self.before:
                pass
            elif state == self.restore_state:
                kept = [p for p in self.backup_files() if "before-restore" in p.name]
                if not kept:
                    problems.append(("5 restore", (f"{after}: the backup is in place but no "
                                     f"before-restore file keeps the state before")))
            else:
                problems.append(("5 restore", (f"{after}: the database is neither the state "
                                 f"before ({len(self.before[0])} grades) nor the backup's "
                                 f"({len(self.restore_state[0])} grades): {len(state[0])} grades")))
        elif state[0] != self.expected:
            lost = len(set(self.expected) - set(state[0]))
            problems.append(("2 grades", (f"{after}: {lost} acknowledged grade(s) missing or "
                             f"changed ({len(state[0])} in reviews, {len(self.expected)} expected)")))
        for path in self.backup_files():
            stat = path.stat()
            key = (stat.st_size, stat.st_mtime_ns)
            if self.verified.get(path) == key:
                continue
            # a new (or rewritten) backup holds what the database held when the command began
            problem = backup_problem(path, grades_at_start, self.scratch)
            if problem:
                problems.append(("3 backup", f"{after}: {path.relative_to(self.root)} {problem}"))
            self.verified[path] = key
        if self.scenario.export and self.output.exists():
            problem = _export_problem(self.output)
            if problem:
                problems.append(("export", f"{after}: {self.output.name} {problem}"))
        return problems

    @staticmethod
    def _cards(after: str, store: Store, tampered: set[str]) -> list[tuple[str, str]]:
        """drill.doctor.examine's findings, bar cards the test itself tampered with."""
        problems = []
        for finding in doctor.examine(store):
            item = finding.message.split(":")[0]
            if finding.what == "card" and item in tampered:
                continue
            problems.append(("2 cards", f"{after}: doctor finds {finding.what}: {finding.message}"))
        return problems


def _export_problem(path: Path) -> str | None:
    """An export that exists must be whole."""
    if path.suffix == ".apkg":
        try:
            with zipfile.ZipFile(path) as archive:
                if archive.testzip() is not None or "collection.anki2" not in archive.namelist():
                    return "is an incomplete package"
        except zipfile.BadZipFile:
            return "is not a whole zip file"
    elif not path.read_text("utf-8", errors="replace").rstrip().endswith("</html>"):
        return "is cut short (no </html> at the end)"
    return None


# -- the commands -----------------------------------------------------------------------------


SCENARIOS = {
    "backup": Scenario("backup", lambda r: ["backup"], hold=True),
    "backup-path": Scenario("backup-path", lambda r: ["backup", str(r.path)], hold=True,
                            path_arg=True),
    "daily-backup": Scenario("daily-backup", lambda r: ["status"], now=NEXT_DAY, hold=True),
    "restore": Scenario("restore", lambda r: ["restore", str(r.source)], restore=True),
    "export-anki": Scenario("export-anki", lambda r: ["export", "anki", "-o", str(r.output)],
                            export="apkg", kills=6),
    "export-html": Scenario("export-html", lambda r: ["export", "html", "-o", str(r.output)],
                            export="html", kills=6),
    "doctor-repair": Scenario("doctor-repair", lambda r: ["doctor", "--repair"], tamper=True),
    "migration": Scenario("migration", lambda r: ["status"], template="old", extra_grades=False),
}

_timings: dict[str, tuple[float, float | None]] = {}  # scenario -> (duration, first file)
WORKERS = 2  # rounds run two at a time (each in its own folder): the machine has two cores


def _new_round(scenario: Scenario, templates: Templates, base: Path, label: str) -> Round:
    root = base / label
    rng = random.Random(f"{SEED}:{scenario.name}:{label}")
    return Round(scenario, root, templates, rng, root / "scratch")


def _done(round_: Round) -> None:
    round_.release()
    shutil.rmtree(round_.root, ignore_errors=True)


def _measure(scenario: Scenario, templates: Templates, base: Path, label: str) -> Outcome:
    round_ = _new_round(scenario, templates, base, label)
    try:
        outcome = round_.run(scenario.args(round_), watch=True)
        assert outcome.returncode == 0, (
            f"seed {SEED}: unkilled drill {' '.join(scenario.args(round_))} failed: {outcome.stderr}")
        return outcome
    finally:
        _done(round_)


def _timing(scenario: Scenario, templates: Templates, base: Path) -> tuple[float, float | None]:
    """How long an unkilled run takes, and when its first file appears: two runs side by side,
    as the rounds run (once per scenario)."""
    if scenario.name not in _timings:
        with ThreadPoolExecutor(WORKERS) as pool:
            runs = list(pool.map(lambda k: _measure(scenario, templates, base, f"measure-{k}"),
                                 range(WORKERS)))
        works = [run.first_artifact for run in runs if run.first_artifact is not None]
        _timings[scenario.name] = (min(run.elapsed for run in runs), min(works) if works else None)
    return _timings[scenario.name]


def _shares(rng: random.Random, count: int, duration: float, work: float | None) -> list[float]:
    """Kill delays as shares of an unkilled run: a few during start-up, the rest stratified
    from just before the first file appears (or a quarter in) to the end."""
    low = 0.9 * work / duration if work is not None else 0.25
    high = 0.98
    early = max(1, count // 5)
    shares = [rng.uniform(0.05, low) for _ in range(early)]
    late = count - early
    shares += [low + (high - low) * (k + rng.random()) / late for k in range(late)]
    rng.shuffle(shares)
    return shares


class Pace:
    """How long an unkilled run takes right now: the median of the latest ones (the two
    measured, then each round's next run), since other work on the machine slows drill
    down and speeds it up again while a test runs."""

    def __init__(self, duration: float):
        self.runs = [duration, duration]
        self.lock = threading.Lock()

    def add(self, elapsed: float) -> None:
        with self.lock:
            self.runs.append(elapsed)

    def now(self) -> float:
        with self.lock:
            return statistics.median(self.runs[-3:])


def _report(name: str, seed: int, problems: list[tuple[str, str]], stats: str) -> None:
    print(f"{name}: seed {seed} ({SEED_ENV}={seed} replays it); {stats}")
    if problems:
        kinds: dict[str, list[str]] = {}
        for kind, message in problems:
            kinds.setdefault(kind, []).append(message)
        lines = [(f"seed {seed} ({SEED_ENV}={seed} replays it): {len(problems)} problem(s) in "
                 f"{name}; {stats}")]
        for kind in sorted(kinds):
            # up to three examples that differ in more than numbers and names
            shapes: dict[str, str] = {}
            for message in kinds[kind]:
                what = message.split(": ", 1)[-1]
                shapes.setdefault(re.sub(r"[\w./-]*\d[\w./-]*", "#", what), message)
            lines.append(f"  [{kind}] x{len(kinds[kind])}, e.g.")
            lines += [f"    {example}" for example in list(shapes.values())[:3]]
        pytest.fail("\n".join(lines), pytrace=False)


def _left(round_: Round) -> str:
    return ", ".join(str(Path(s).relative_to(round_.root)) for s in round_.stale())


# -- SIGKILL ----------------------------------------------------------------------------------


@dataclass
class Killed:
    problems: list[tuple[str, str]]
    signalled: bool  # the kill reached a running process


def _kill_round(scenario: Scenario, templates: Templates, base: Path, pace: Pace, number: int,
                share: float) -> Killed:
    """One fresh collection, the command killed `share` of the way through an unkilled run,
    the checks, the next run."""
    round_ = _new_round(scenario, templates, base, f"round-{number}")
    problems: list[tuple[str, str]] = []
    delay = share * pace.now()
    try:
        args = scenario.args(round_)
        at_start = round_.expected
        outcome = round_.run(args, delay=delay)
        round_.release()
        label = f"kill {number} at {delay * 1000:.0f} ms"
        problems += round_.check(at_start, label)
        # the next run of the same command, on whatever the kill left
        at_rerun = round_.state[0]
        if scenario.path_arg and round_.path.exists() and not backup_problem(
                round_.path, at_start, round_.scratch):
            # the killed run had finished its copy: refusing to overwrite it is right
            round_.path = round_.out / "copy-2.db"
            args = scenario.args(round_)
        again = round_.run(args)
        pace.add(again.elapsed)
        if again.returncode != 0:
            problems.append(("4 rerun", (f"{label}, then drill {' '.join(args[:2])} again: "
                             f"exit {again.returncode}: {again.stderr.strip()[:300]}")))
        # cards are examined again only where the command itself writes them
        after = f"{label}, then the next run"
        problems += round_.check(at_rerun, after, tampered_ok=False,
                                 cards=scenario.restore or scenario.tamper
                                 or scenario.template == "old")
        problems += _after_rerun(round_, again, after)
        if round_.stale():
            problems.append(("4 stale", f"{label}, then the next run: left {_left(round_)}"))
        return Killed(problems, outcome.signalled)
    finally:
        _done(round_)


def _after_rerun(round_: Round, again: Outcome, after: str) -> list[tuple[str, str]]:
    """What a successful next run must have done, by command."""
    if again.returncode != 0:
        return []
    scenario, problems = round_.scenario, []
    state, version = round_.state, round_.version  # as the check after the next run read them
    if scenario.restore and state != round_.restore_state:
        problems.append(("5 restore", f"{after}: it succeeded, yet the database is not the backup"))
    if scenario.tamper and "healthy" not in again.stdout:
        problems.append(("2 cards", (f"{after}: doctor --repair did not end healthy: "
                         f"{again.stdout.strip()[-300:]}")))
    makes_backup = scenario.name in ("backup", "backup-path", "daily-backup", "migration")
    if makes_backup and not round_.backup_files():
        problems.append(("4 rerun", f"{after}: it succeeded, yet there is no backup"))
    if scenario.template == "old" and version != migrations.latest_version():
        problems.append(("4 rerun", (f"{after}: it succeeded, yet the schema is still "
                         f"version {version}")))
    return problems


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_sigkill_at_random_points(name, templates, tmp_path):
    scenario = SCENARIOS[name]
    rng = random.Random(f"{SEED}:{name}")
    duration, work = _timing(scenario, templates, tmp_path)
    shares = _shares(rng, scenario.kills, duration, work)
    pace = Pace(duration)
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda job: _kill_round(scenario, templates, tmp_path, pace, *job),
                                enumerate(shares, start=1)))
        # A kill that came after the command had finished tested nothing: those rounds run
        # once more, a little earlier.
        missed = [k for k, result in enumerate(results) if not result.signalled]
        results += list(pool.map(
            lambda k: _kill_round(scenario, templates, tmp_path, pace, 100 + k + 1, 0.8 * shares[k]),
            missed))
    problems = [problem for result in results for problem in result.problems]
    signalled = sum(result.signalled for result in results)
    _report(name, SEED, problems,
            f"{len(results)} kills, {signalled} of them reached a running process "
            f"({len(missed)} in a second wave), at shares of an unkilled run of "
            f"{duration * 1000:.0f} ms when measured, {pace.now() * 1000:.0f} ms at the end "
            f"(first file at {'-' if work is None else f'{work / duration:.0%}'})")


# -- SIGTERM ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_sigterm_exits_and_leaves_no_temporary_file(name, templates, tmp_path):
    scenario = SCENARIOS[name]
    rng = random.Random(f"{SEED}:term:{name}")
    duration, work = _timing(scenario, templates, tmp_path)
    problems: list[tuple[str, str]] = []
    tries = 0
    for tries in range(1, 4):  # until the signal reaches a running process
        round_ = _new_round(scenario, templates, tmp_path, f"term-{tries}")
        try:
            at_start = round_.expected
            if work is not None:  # as soon as its first file appears: mid-operation
                outcome = round_.run(scenario.args(round_), sig=signal.SIGTERM, on_artifact=True,
                                     delay=2 * duration)
            else:  # sooner at each try: a run that ended first was faster than measured
                delay = rng.uniform(0.4 * duration, 0.8 * duration) * 0.7 ** (tries - 1)
                outcome = round_.run(scenario.args(round_), sig=signal.SIGTERM, delay=delay)
            round_.release()
            if not outcome.signalled:
                continue
            label = f"SIGTERM at {outcome.elapsed * 1000:.0f} ms (exit {outcome.returncode})"
            problems += round_.check(at_start, label)
            if round_.stale():
                problems.append(("4 stale", f"{label}: left {_left(round_)}"))
            break
        finally:
            _done(round_)
    _report(f"{name} (SIGTERM)", SEED, problems,
            f"{tries} run(s) until the signal reached a running process")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_polite_kill_mangled_by_c_code_still_exits_as_killed(sig, tmp_path):
    # A signal that lands inside C code (an import of ssl, say) can surface as another
    # exception than drill's own; the command still ends as killed, without a traceback.
    code = f"""
import os, signal, sys
import drill.cli
def command(prog_name):
    drill.cli._polite_kills_unwind()
    try:
        os.kill(os.getpid(), {int(sig)})
    except BaseException:
        raise TypeError("expected a message argument")
drill.cli.cli = command
drill.cli.main()
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert done.returncode == 128 + sig, done.stderr
    assert "Traceback" not in done.stderr
