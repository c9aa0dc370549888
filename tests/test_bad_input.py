"""A corpus of bad input, run through real `python -m drill` processes.

Every case gets a clear message and the right exit status (1 for errors, 2 for usage
errors), never a traceback. An error (exit 1) is exactly one line `Error: ...` on stderr
(after any `Warning: ...` lines: an added deck that no longer loads, a daily backup that
could not be made); a failed `drill check` (also exit 1) is its report on stdout. Typed
answers that cannot be read get a hint and another try. A case may also require a warning
(`warns`), forbid one (`quiet`), and check the files afterwards (`after`): the database
still sound and holding its reviews, the backups as they were. Grow this table with every
feature.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.test_loader import GOOD_CODE_ITEM as CODE_ITEM  # the loader tests' small deck
from tests.test_loader import GOOD_ITEM as NUMERIC_ITEM

TOO_LONG = "a" * 300  # longer than any file name a Linux file system allows (255 bytes)

RIGHT_RELU = textwrap.dedent(
    """\
    import numpy as np


    def relu(z):
        return np.maximum(z, 0)


    def relu_backward(dout, z):
        return dout * (z > 0)
    """
)

DECK_TOML = 'name = "mine"\ntitle = "My deck"\ndescription = "A small deck of my own."\n'
REFERENCE = "def square(x):\n    return x * x\n\n\nEXAMPLES = [('square', (3,), 9)]\n"
STARTER = "def square(x):\n    raise NotImplementedError\n"
CASES_PY = textwrap.dedent(
    """\
    import numpy as np


    def cases(seed):
        rng = np.random.default_rng(seed)
        return [
            {"name": "square of 3", "call": "square", "args": [np.array([3.0])]},
            {"name": "square of random values", "call": "square", "args": [rng.normal(size=4)]},
        ]
    """
)
RIGHT_SQUARE = "def square(x):\n    return x * x\n"


@dataclass
class Ctx:
    """What a case's setup works with: its folder, and clean-ups to run afterwards; `db_at`
    when the database is not {tmp}/drill.db (the setup then sets DRILL_DB), and `memo` for
    what the setup leaves for the after-check (the review log, the good backups...)."""

    tmp: Path
    cleanups: list = field(default_factory=list)
    db_at: Path | None = None
    memo: dict = field(default_factory=dict)

    @property
    def db(self) -> Path:
        return self.db_at or self.tmp / "drill.db"

    @property
    def backups(self) -> Path:
        return self.db.parent / "backups"

    def write(self, name: str, data: str | bytes) -> Path:
        path = self.tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        return path

    def read_only(self, path: Path) -> None:
        """Make a file or folder read-only, even for root (who ignores permission bits)."""
        path.chmod(0o555 if path.is_dir() else 0o444)
        self.cleanups.append(lambda: path.chmod(0o755 if path.is_dir() else 0o644))
        if os.geteuid() == 0:
            done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
            if done.returncode != 0:
                pytest.skip("cannot make a file read-only for root here (no chattr +i)")
            self.cleanups.insert(0, lambda: subprocess.run(["chattr", "-i", str(path)]))


# -- setups: each takes a Ctx and returns extra environment variables ---------------------


def nothing(t: Ctx) -> dict:
    return {}


def env(**values):
    def setup(t: Ctx) -> dict:
        return {k: v.format(tmp=t.tmp) for k, v in values.items()}

    return setup


def preparing(prepare):
    """A factory of setups from `prepare(t, *args, **kwargs)`: called with the arguments, it
    gives a setup that prepares the case's folder and adds no environment variables."""

    @functools.wraps(prepare)
    def factory(*args, **kwargs):
        def setup(t: Ctx) -> dict:
            prepare(t, *args, **kwargs)
            return {}

        return setup

    return factory


@preparing
def files(t: Ctx, **contents) -> None:
    """Write files under the case's folder (keys are names, `__` stands for `/`)."""
    for name, data in contents.items():
        t.write(name.replace("__", "/"), data)


@preparing
def db_file(t: Ctx, data: bytes) -> None:
    t.write("drill.db", data)


def _drill_db(t: Ctx, graded: bool = False) -> None:
    from drill.collection import open_collection

    with open_collection(t.db) as collection:
        if graded:
            collection.store.grade("relu", 4, when=datetime(2026, 11, 25, 9, tzinfo=UTC))


def fresh_db(t: Ctx) -> dict:
    _drill_db(t)
    return {}


def other_programs_db(t: Ctx) -> dict:
    conn = sqlite3.connect(t.db)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('buy milk')")
    conn.commit()
    conn.close()
    return {}


def newer_db(t: Ctx) -> dict:
    from drill import migrations

    _drill_db(t)
    conn = sqlite3.connect(t.db)
    conn.execute(f"PRAGMA user_version = {migrations.latest_version() + 5}")
    conn.commit()
    conn.close()
    return {}


def truncated_db(t: Ctx) -> dict:
    _drill_db(t)
    with open(t.db, "r+b") as fh:
        fh.truncate(5000)
    return {}


def _tamper(t: Ctx) -> None:
    """Move a card behind its review log's back."""
    conn = sqlite3.connect(t.db)
    conn.execute("UPDATE cards SET interval = 9 WHERE item_id = 'relu'")
    conn.commit()
    conn.close()


def long_history(quality: int, count: int, card_agrees: bool = False):
    """`count` daily grades of `quality` for relu in the log, written straight into it (as an
    import or a long-kept collection has them): SM-2 alone would push the interval past any
    calendar date. With `card_agrees`, the card holds what the capped scheduler gives."""

    def setup(t: Ctx) -> dict:
        from datetime import date, timedelta

        _drill_db(t)
        first = date(2020, 1, 1)
        days = [(first + timedelta(days=k)).isoformat() for k in range(count)]
        conn = sqlite3.connect(t.db)
        conn.executemany(
            "INSERT INTO reviews (reviewed_at, day, item_id, seed, quality, correct, response_ms, redrill, "
            "easiness_before, interval_before, repetitions_before, due_before, easiness_after, "
            "interval_after, repetitions_after, due_after) "
            "VALUES (?, ?, 'relu', 0, ?, 1, 5000, 0, 2500, 0, 0, NULL, 2500, 1, 1, ?)",
            [(day + "T12:00:00+00:00", day, quality, day) for day in days])
        if card_agrees:
            ef = 2500 + count * {5: 100, 4: 0}[quality]
            due = (first + timedelta(days=count - 1 + 36_500)).isoformat()
            conn.execute("UPDATE cards SET easiness_milli = ?, interval = 36500, repetitions = ?, due = ? "
                         "WHERE item_id = 'relu'", [ef, count, due])
        conn.commit()
        conn.close()
        return {}

    return setup


@preparing
def read_only_db(t: Ctx, graded: bool) -> None:
    _drill_db(t, graded=graded)
    t.read_only(t.db)


@preparing
def read_only_folder(t: Ctx, name: str) -> None:
    folder = t.tmp / name
    folder.mkdir()
    t.read_only(folder)


@preparing
def fifo(t: Ctx, name: str) -> None:
    os.mkfifo(t.tmp / name)


def symlink_loop(t: Ctx) -> dict:
    (t.tmp / "loop1").symlink_to(t.tmp / "loop2")
    (t.tmp / "loop2").symlink_to(t.tmp / "loop1")
    return {}


def deck(*changes):
    """A good deck folder at {tmp}/deck, then `changes`: (relative file, new text or bytes or None to delete)."""

    def setup(t: Ctx) -> dict:
        root = t.tmp / "deck"
        t.write("deck/deck.toml", DECK_TOML)
        t.write("deck/01-double/item.toml", NUMERIC_ITEM)
        t.write("deck/02-square/item.toml", CODE_ITEM)
        t.write("deck/02-square/starter.py", STARTER)
        t.write("deck/02-square/reference.py", REFERENCE)
        t.write("deck/02-square/cases.py", CASES_PY)
        for name, data in changes:
            path = root / name
            if data is None:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
            elif callable(data):
                path.write_text(data(path.read_text(encoding="utf-8")), encoding="utf-8")
            else:
                t.write(f"deck/{name}", data)
        return {}

    return setup


def added_deck(*changes, trusted_again=True):
    """The good deck, added with `drill decks add`, then edited, and the edited code trusted
    (as `drill decks trust mine` does, unless `trusted_again` is False): `changes` as for deck()."""

    def setup(t: Ctx) -> dict:
        from drill import trust
        from drill.collection import add_deck, open_collection, review_new_deck

        deck()(t)
        with open_collection(t.db) as collection:
            add_deck(collection, review_new_deck(collection, t.tmp / "deck"))
        t.write("square.py", RIGHT_SQUARE)
        extra = deck(*changes)(t)
        if trusted_again:
            trust.remember(trust.scan(t.tmp / "deck"))
        return extra

    return setup


GENERATOR = textwrap.dedent(
    """\
    def generate(seed):
        return {"prompt": "p", "answer": 6, "solution": "s", "params": {}}
    """
)


@preparing
def trust_list(t: Ctx, data) -> None:
    """Write the list of trusted decks, or edit it with a function of its text."""
    path = t.tmp / "config" / "trusted-decks.json"
    t.write("config/trusted-decks.json", data(path.read_text()) if callable(data) else data)


def set_aside(t: Ctx) -> None:
    """After-check: the damaged list was moved aside, whole, and not replaced by an empty one."""
    kept = list((t.tmp / "config").glob("trusted-decks.json.damaged-*"))
    assert len(kept) == 1 and kept[0].stat().st_size > 0, kept
    assert not (t.tmp / "config" / "trusted-decks.json").exists()


def without(line_start: str):
    """Drop the line that starts with `line_start` from a TOML file."""

    def edit(text: str) -> str:
        kept = [line for line in text.splitlines(keepends=True) if not line.startswith(line_start)]
        assert len(kept) == len(text.splitlines()) - 1, line_start
        return "".join(kept)

    return edit


def replacing(old: str, new: str):
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new)

    return edit


def generator(source: str):
    return deck(("01-double/variants.py", textwrap.dedent(source)))


# -- the learner's data in trouble: databases, backups, disks -------------------------------
#
# These setups build real databases with the library, then damage them from outside as a
# crash, a bad copy or a full disk would; an `after` check then reads the files back (through
# a scratch copy, so that checking never changes what it checks).

GRADED_AT = datetime(2026, 11, 25, 9, tzinfo=UTC)  # the pinned clock (conftest)
LATER = "2026-12-01T09:00:00+00:00"  # a later learning day than the pinned one
BACKUP_NAME = re.compile(r".+-\d{8}-\d{6}-[a-z0-9-]+\.db")  # drill-20261125-090000-daily.db
AUTOMATIC = re.compile(r"drill-\d{8}-\d{6}-(daily|before-v\d+)(-\d+)?\.db")
ANSWERS_TOML = 'seed = 0\n[answers]\nforward-pass = "2"\nweight-decay = "0.9999"\n'


def _sql(path: Path, *statements: str) -> None:
    """Run statements on a database file, append-only triggers set aside while they run."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        triggers = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%no_update'").fetchall()
        for name, _ in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        for statement in statements:
            conn.execute(statement)
        for _, sql in triggers:
            conn.execute(sql)
    finally:
        conn.close()


@contextmanager
def _opened(path: Path, with_wal: bool = True):
    """A connection to a scratch copy of a database file (with its WAL, unless told not to)."""
    scratch = Path(tempfile.mkdtemp(prefix="drill-check-"))
    try:
        shutil.copyfile(path, scratch / "copy.db")
        if with_wal and Path(f"{path}-wal").exists():
            shutil.copyfile(f"{path}-wal", scratch / "copy.db-wal")
        conn = sqlite3.connect(scratch / "copy.db")
        try:
            yield conn
        finally:
            conn.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _reviews(path: Path) -> list[tuple]:
    """Every row of a database's review log: (item, quality, when)."""
    with _opened(path) as conn:
        return sorted(conn.execute("SELECT item_id, quality, reviewed_at FROM reviews"))


def _sound_backup(path: Path) -> str | None:
    """Why a file is not a sound backup, or None: a whole SQLite file on its own (its size is
    what its header says), passing quick_check, holding drill's tables and its review log, in
    rollback-journal mode (a copy in WAL mode needs a -wal file that a backup never has)."""
    data = path.read_bytes()
    if len(data) < 100 or data[:16] != b"SQLite format 3\x00":
        return f"{path.name} is not an SQLite file ({len(data)} bytes)"
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if int.from_bytes(data[28:32], "big") * page_size > len(data):
        return f"{path.name} is shorter than its header says (half-written)"
    if data[18] == 2 or data[19] == 2:
        return f"{path.name} is in WAL mode"
    try:
        with _opened(path, with_wal=False) as conn:
            checked = conn.execute("PRAGMA quick_check").fetchall()
            if checked != [("ok",)]:
                return f"{path.name} fails quick_check: {checked[:2]}"
            if conn.execute("PRAGMA user_version").fetchone()[0] < 1:
                return f"{path.name} has no drill schema"
            conn.execute("SELECT COUNT(*) FROM reviews").fetchone()
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return f"{path.name} is in WAL mode"
    except sqlite3.DatabaseError as exc:
        return f"{path.name}: {exc}"
    return None


def _copy_db(source: Path, target: Path, stamp: str | None = None) -> None:
    """A good backup of `source` at `target` (SQLite's backup API, rollback journal), its
    modification time set to `stamp` (YYYYMMDD-HHMMSS), as drill names and dates its copies."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    copy = sqlite3.connect(target)
    try:
        src.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
    finally:
        copy.close()
        src.close()
    if stamp:
        _touch(target, stamp)


def _touch(path: Path, stamp: str) -> None:
    moment = datetime.strptime(stamp, "%Y%m%d-%H%M%S").replace(tzinfo=UTC).timestamp()
    os.utime(path, (moment, moment))


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file in a folder (hidden ones too), by name, with a hash of its bytes."""
    if not folder.is_dir():
        return {}
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


def _make_db(path: Path, grades=(("relu", 4),), *, last_backup_day: str | None = None) -> None:
    """A drill database at `path` holding `grades` (graded on the pinned day)."""
    from drill.collection import open_collection

    with open_collection(path) as collection:
        for k, (item, quality) in enumerate(grades):
            collection.store.grade(item, quality, when=GRADED_AT + timedelta(minutes=k))
    if last_backup_day:
        _sql(path, "INSERT OR REPLACE INTO settings (key, value) "
                   f"VALUES ('last_backup_day', '{last_backup_day}')")


def _graded(t: Ctx, grades=(("relu", 4),), *, last_backup_day: str | None = None) -> dict:
    """The case's database, graded, its review log remembered for the after-checks."""
    _make_db(t.db, grades, last_backup_day=last_backup_day)
    t.memo["reviews"] = _reviews(t.db)
    return {"DRILL_DB": str(t.db)}


def _dead_pid() -> int:
    """The pid of a process that has ended (a drill that was killed)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def _mount_tmpfs(t: Ctx, where: Path, size_kb: int) -> None:
    """A small RAM disk at `where`, unmounted when the case ends (skipped where not allowed)."""
    where.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(where)],
                              capture_output=True, text=True)
    except OSError as exc:
        pytest.skip(f"cannot mount a tmpfs here: {exc}")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or f'exit {done.returncode}'}")
    t.cleanups.append(lambda: _unmount(where))


def _unmount(where: Path) -> None:
    if subprocess.run(["umount", str(where)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _fill(disk: Path, free_kb: int) -> None:
    """Fill a disk with a dummy file until about `free_kb` KB stay free."""
    stat = os.statvfs(disk)
    size = stat.f_bavail * stat.f_frsize - free_kb * 1024
    with open(disk / "filler", "wb") as fh:
        while size > 0:
            chunk = min(size, 1 << 20)
            fh.write(b"\0" * chunk)
            size -= chunk
    stat = os.statvfs(disk)
    assert abs(stat.f_bavail * stat.f_frsize - free_kb * 1024) <= 8192, "the disk did not fill as planned"


def small_disk(free_kb: int, *, backup_due: bool = True):
    """The database (holding a review) on a RAM disk with only about `free_kb` KB free; its
    last daily backup on an earlier day when `backup_due`, else today's is made."""

    def setup(t: Ctx) -> dict:
        disk = t.tmp / "disk"
        _mount_tmpfs(t, disk, 2048)
        t.db_at = disk / "drill.db"
        extra = _graded(t, last_backup_day="2026-11-20" if backup_due else "2026-11-25")
        _fill(disk, free_kb)
        return extra

    return setup


def read_only_disk(*, backup_due: bool = True):
    """The database (holding a review) on a RAM disk remounted read-only."""

    def setup(t: Ctx) -> dict:
        disk = t.tmp / "disk"
        _mount_tmpfs(t, disk, 2048)
        t.db_at = disk / "drill.db"
        extra = _graded(t, last_backup_day=None if backup_due else "2026-11-25")
        done = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot remount a tmpfs read-only here: {done.stderr.strip()}")
        return extra

    return setup


def graded(*, later: bool = False, backup_due: bool = True, grades=(("relu", 4),)):
    """A database holding reviews; `later` runs the command on a later learning day."""

    def setup(t: Ctx) -> dict:
        extra = _graded(t, grades, last_backup_day=None if backup_due else "2026-11-25")
        return {**extra, "DRILL_NOW": LATER} if later else extra

    return setup


def graded_read_only(*, later: bool = False):
    """A graded database file made read-only (chmod, and chattr +i for root); its daily
    backup is due."""

    def setup(t: Ctx) -> dict:
        extra = graded(later=later)(t)
        t.read_only(t.db)
        return extra

    return setup


def read_only_folder_db(*, backup_due: bool = False, **env_values):
    """A graded database in a read-only folder, the file itself writable."""

    def setup(t: Ctx) -> dict:
        folder = t.tmp / "ro"
        folder.mkdir()
        t.db_at = folder / "drill.db"
        extra = _graded(t, last_backup_day=None if backup_due else "2026-11-25")
        t.read_only(folder)
        return {**extra, **env_values}

    return setup


def steps(*setups):
    """Run setups one after another; their environment variables add up."""

    def setup(t: Ctx) -> dict:
        extra = {}
        for one in setups:
            extra.update(one(t) or {})
        return extra

    return setup


def also(**values):
    """Extra environment variables (after the other steps)."""
    return lambda t: {k: v.format(tmp=t.tmp) for k, v in values.items()}


def then_ran(setup, *argv):
    """A setup, then drill run once with its environment before the case's own command."""

    def wrapped(t: Ctx) -> dict:
        extra = setup(t)
        subprocess.run([sys.executable, "-m", "drill", *argv], capture_output=True, timeout=60, cwd=t.tmp,
                       env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1", **extra})
        return extra

    return wrapped


def links(*pairs):
    """After a graded database: ("sym" or "hard", link name, what it names), under {tmp}."""

    def setup(t: Ctx) -> dict:
        for kind, name, target in pairs:
            link = t.tmp / name
            link.parent.mkdir(parents=True, exist_ok=True)
            if kind == "sym":
                link.symlink_to(target)
            else:
                os.link(t.tmp / target, link)
        return {}

    return setup


def db_named(name: str):
    """A graded database at {tmp}/NAME (named like an export, say), as DRILL_DB."""

    def setup(t: Ctx) -> dict:
        (t.tmp / "sub").mkdir(exist_ok=True)
        t.db_at = t.tmp / name
        return _graded(t)

    return setup


# Damage that leaves a database openable (status and the other everyday reads work) while
# SQLite's quick_check fails: bytes overwritten inside pages no everyday command reads.


def _root_page(path: Path, name: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [name]).fetchone()[0]
    finally:
        conn.close()


def _overwrite(path: Path, offset: int, data: bytes) -> None:
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(data)


def damage(how: str):
    """Overwrite bytes of the database so that it still opens but fails quick_check."""

    def setup(t: Ctx) -> dict:
        with open(t.db, "rb") as fh:
            size = int.from_bytes(fh.read(18)[16:18], "big")  # the page size
        if how == "index cells overwritten":  # relu's entry in the reviews-by-item index
            page = _root_page(t.db, "reviews_item")
            _overwrite(t.db, page * size - 64, b"\xff" * 64)
        elif how == "index page type":
            page = _root_page(t.db, "selfcheck_results_item")
            _overwrite(t.db, (page - 1) * size, b"\x07")
        elif how == "index cell count":
            page = _root_page(t.db, "sqlite_autoindex_variants_1")
            _overwrite(t.db, (page - 1) * size + 3, b"\x7f\xff")
        elif how == "index cell pointer":
            page = _root_page(t.db, "reviews_item")
            _overwrite(t.db, (page - 1) * size + 8, b"\x0f\xff")
        elif how == "freelist":
            _overwrite(t.db, 32, (9999).to_bytes(4, "big") + (3).to_bytes(4, "big"))
        elif how == "table page":
            page = _root_page(t.db, "selfcheck_attempts")
            _overwrite(t.db, (page - 1) * size, b"\x01")
        else:
            raise ValueError(how)
        with _opened(t.db) as conn:
            try:
                checked = conn.execute("PRAGMA quick_check").fetchall()
            except sqlite3.DatabaseError as exc:  # some damage stops the check itself
                checked = [(str(exc),)]
            assert checked != [("ok",)], how
            conn.execute("SELECT COUNT(*) FROM cards").fetchone()  # and it still opens
        return {}

    return setup


def backup_history(good: int = 10, bad=(), *, stem: str = "drill"):
    """`good` sound daily copies in backups/, one a day up to the day before the graded one,
    and `bad` files carrying backup names: (kind, stamp YYYYMMDD-HHMMSS, name tail), kind
    "empty" (0 bytes), "half" (the first half of a copy), "garbage" or "header" (the first
    100 bytes); the remembered list of good copies runs oldest first."""

    def setup(t: Ctx) -> dict:
        t.backups.mkdir(exist_ok=True)
        names = []
        for k in range(good):
            day = date(2026, 11, 24) - timedelta(days=good - 1 - k)
            stamp = f"{day:%Y%m%d}-093000"
            names.append(f"{stem}-{stamp}-daily.db")
            _copy_db(t.db, t.backups / names[-1], stamp)
        sample = (t.backups / names[-1]).read_bytes() if names else b""
        for kind, stamp, tail in bad:
            path = t.backups / f"{stem}-{stamp}-{tail}.db"
            path.write_bytes({"empty": b"", "half": sample[: len(sample) // 2],
                              "garbage": bytes(range(256)) * 64, "header": sample[:100]}[kind])
            _touch(path, stamp)
        t.memo["good"] = {name: hashlib.sha256((t.backups / name).read_bytes()).hexdigest() for name in names}
        t.memo["good order"] = names
        return {}

    return setup


def damaged_with_history(how: str, *, command_day: str = LATER):
    """A graded database with ten good daily copies, then damaged; the command runs on a
    later day, when a daily backup is due."""
    return steps(graded(backup_due=False), backup_history(10), damage(how), also(DRILL_NOW=command_day))


def emptied(*copies, stem: str = "drill"):
    """A 0-byte database file, and in backups/ good copies of what it held: `copies` are the
    tails of their names (daily, manual, before-v5...)."""

    def setup(t: Ctx) -> dict:
        t.db_at = t.tmp / f"{stem}.db"
        extra = _graded(t)
        for k, tail in enumerate(copies):
            stamp = f"202611{20 + k}-090000"
            _copy_db(t.db, t.backups / f"{stem}-{stamp}-{tail}.db", stamp)
        t.db.write_bytes(b"")
        t.memo["old bytes"] = b""
        return extra

    return setup


def saved_backup(name: str = "saved/good.db", *, decoy: str | None = None):
    """A good backup at {tmp}/NAME that holds other reviews than the current database (and,
    with `decoy`, another database at {tmp}/DECOY, where a misread name would lead)."""

    def setup(t: Ctx) -> dict:
        named = t.tmp / name
        named.parent.mkdir(parents=True, exist_ok=True)
        _make_db(named, (("mse", 5), ("softmax", 3)))
        t.memo["named"] = _reviews(named)
        if decoy:
            _make_db(t.tmp / decoy, (("chain-rule", 1),))
        return {}

    return setup


def current(kind: str):
    """What happened to the current (graded) database file before a restore."""

    def setup(t: Ctx) -> dict:
        _graded(t)
        data = t.db.read_bytes()
        raw = {"truncated": data[:5000], "half": data[: len(data) // 2], "empty": b"",
               "garbage": bytes(range(256)) * 16, "notes": b"my notes\n" * 100}
        if kind in raw:
            t.db.write_bytes(raw[kind])
            t.memo["old bytes"] = raw[kind]
        elif kind == "bad UTF-8 in last_backup_day":
            _sql(t.db, "UPDATE settings SET value = CAST(x'ff' AS TEXT) WHERE key = 'last_backup_day'",
                 "INSERT OR IGNORE INTO settings (key, value) VALUES ('last_backup_day', CAST(x'ff' AS TEXT))")
        else:
            raise ValueError(kind)
        return {}

    return setup


def bad_text(*statements: str, deck: bool = False):
    """A graded database (with an added deck when `deck`) whose text columns then get bytes
    that are not UTF-8, written from outside (the append-only triggers set aside)."""

    def setup(t: Ctx) -> dict:
        extra = added_deck()(t) if deck else _graded(t)
        _sql(t.db, *statements)
        return extra

    return setup


def tampered_content(sql: str, *, deck: bool = False):
    """An item's stored content changed behind drill's back (its hash left as it was)."""

    def setup(t: Ctx) -> dict:
        if deck:
            added_deck()(t)
        else:
            _graded(t)
        _sql(t.db, sql)
        return {}

    return setup


def stale_parts(*kinds, folder: str = "out"):
    """Temporaries of an earlier backup into {tmp}/FOLDER that was killed (its pid is gone):
    `kinds` name what was left, "part" (a half-written copy), "part-journal", "empty part"."""

    def setup(t: Ctx) -> dict:
        where = t.tmp / folder
        where.mkdir(parents=True, exist_ok=True)
        data = t.db.read_bytes()
        from drill.parts import prefix

        base = f"{prefix(_dead_pid())}5eed0bad.db.part"
        for kind in kinds:
            if kind == "part":
                (where / base).write_bytes(data[: len(data) // 2])
            elif kind == "part-journal":
                (where / f"{base}-journal").write_bytes(data[:4096] + b"\0" * 512)
            elif kind == "empty part":
                (where / base.replace("5eed0bad", "0ddba11")).write_bytes(b"")
            else:
                raise ValueError(kind)
        return {}

    return setup


# -- after-checks: each takes the Ctx and asserts on files ------------------------------------


def intact(t: Ctx) -> None:
    """The database passes integrity_check and holds the review log it had."""
    with _opened(t.db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert _reviews(t.db) == t.memo["reviews"], "the review log changed"


def nothing_saved(t: Ctx) -> None:
    """Intact, and the refused write left no trace (no setting changed, no undo logged)."""
    intact(t)
    with _opened(t.db) as conn:
        assert conn.execute("SELECT value FROM settings WHERE key = 'new_per_day'").fetchall() in ([], [("6",)])
        assert conn.execute("SELECT COUNT(*) FROM undos").fetchone()[0] == 0


def backups_untouched(t: Ctx) -> None:
    assert _snapshot(t.backups) == t.memo["backups"], "backups/ changed"


def no_new_backup(t: Ctx) -> None:
    added = set(_snapshot(t.backups)) - set(t.memo["backups"])
    assert not added, f"new files in backups/: {sorted(added)}"


def still_empty(t: Ctx) -> None:
    assert t.db.exists() and t.db.stat().st_size == 0, "the empty database file was written"
    backups_untouched(t)


def good_copies_kept(t: Ctx) -> None:
    """Every good copy there before is still there, byte for byte."""
    now = _snapshot(t.backups)
    lost = [name for name, digest in t.memo["good"].items() if now.get(name) != digest]
    assert not lost, f"good backups lost: {lost}"


def backups_all_sound(t: Ctx) -> None:
    """Every file in backups/ with a backup's name is a sound backup."""
    if t.backups.is_dir():
        bad = [_sound_backup(p) for p in sorted(t.backups.iterdir()) if BACKUP_NAME.fullmatch(p.name)]
        assert not any(bad), [b for b in bad if b]


def newest_sound_kept(t: Ctx) -> None:
    """After today's daily copy: the automatic copies that are sound are today's plus the
    newest good ones from before, 10 in all (or every one when there were fewer)."""
    old = t.memo["good order"]
    expected = min(10, len(old) + 1)
    present = {p.name for p in t.backups.iterdir()}
    lost = [name for name in old[len(old) - (expected - 1):] if name not in present]
    assert not lost, f"good copies deleted while unsound ones stay: {lost}"
    sound = sorted(p.name for p in t.backups.iterdir()
                   if AUTOMATIC.fullmatch(p.name) and _sound_backup(p) is None)
    new = [name for name in sound if name not in old]
    assert len(new) == 1, f"expected one new sound daily copy, found {new} among {sound}"
    assert len(sound) == expected, f"{len(sound)} sound automatic copies, expected {expected}: {sound}"


def daily_copy_not_wal(t: Ctx) -> None:
    copies = sorted(p for p in t.backups.iterdir() if re.fullmatch(r"drill-\d{8}-\d{6}-daily(-\d+)?\.db", p.name))
    assert copies, "no daily backup was made"
    with _opened(copies[-1], with_wal=False) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal", copies[-1].name


def sound_at(name: str):
    def check(t: Ctx) -> None:
        problem = _sound_backup(t.tmp / name)
        assert problem is None, problem

    return check


def newest_backup_sound(t: Ctx) -> None:
    copies = sorted(p for p in t.backups.iterdir() if BACKUP_NAME.fullmatch(p.name))
    assert copies, "no backup was made"
    problem = _sound_backup(copies[-1])
    assert problem is None, problem


def restored(t: Ctx) -> None:
    """The database holds exactly the reviews of the backup that was named, and the state
    before is kept in backups/ under a before-restore name (the very bytes of a damaged file)."""
    named = t.memo["named"] if "named" in t.memo else t.memo["reviews"]  # its own backup: what it held
    assert _reviews(t.db) == named, "the database does not hold the named backup's reviews"
    kept = [p for p in t.backups.iterdir() if "before-restore" in p.name] if t.backups.is_dir() else []
    assert kept, "the state before the restore was not kept in backups/"
    if "old bytes" in t.memo:
        assert any(p.read_bytes() == t.memo["old bytes"] for p in kept), "the damaged file was not kept as it was"


def holds_named(t: Ctx) -> None:
    assert _reviews(t.db) == t.memo["named"], "the database does not hold the named file's reviews"


def all_of(*checks):
    def check(t: Ctx) -> None:
        for one in checks:
            one(t)

    return check


@preparing
def mkdirs(t: Ctx, *names) -> None:
    for name in names:
        (t.tmp / name).mkdir(parents=True, exist_ok=True)


@preparing
def read_only_file(t: Ctx, name: str) -> None:
    t.read_only(t.tmp / name)


WRONG_RELU = RIGHT_RELU.replace("dout * (z > 0)", "dout * (z >= 0)")
NON_ASCII_TITLE = ("01-double/item.toml", replacing('"Double it"', '"Double it: 2·x, ∂y/∂x = 2 ≥ 0"'))
BAD_DAY_START = "INSERT OR REPLACE INTO settings (key, value) VALUES ('day_start', CAST(x'{}' AS TEXT))"
BAD_TITLE = "UPDATE items SET title = CAST(x'52654c55ff' AS TEXT) WHERE id = 'relu'"
BAD_ANSWER = "UPDATE reviews SET answer = CAST(x'32c328' AS TEXT) WHERE item_id = 'relu'"
BAD_DECK_PATH = "UPDATE decks SET path = CAST(x'2f746d702fff' AS TEXT) WHERE name = 'mine'"
BAD_LAST_BACKUP_DAY = ("INSERT OR REPLACE INTO settings (key, value) "
                       "VALUES ('last_backup_day', CAST(x'32303236ff' AS TEXT))")


# -- the table ------------------------------------------------------------------------------

PRACTICE = ["practice", "forward-pass", "--seed", "0"]
CHECK = ["check", "relu"]
RIGHT = "2\n"  # variant 0 of forward-pass: the self-check's own answer
RIGHT_WORDS = ["✓ Right"]


def case(name, setup, argv, code, words=(), *, stdin=None, report=False, seconds=None, warns=(), quiet=False,
         after=None):
    """One row: `report` marks an exit 1 that is a failed check's report, not an error;
    `seconds` bounds the running time (the process is stopped after it); `warns` are words
    that `Warning: ...` lines on stderr must hold (one line may hold several), `quiet` forbids
    any warning; `after` is a check on the files (it takes the Ctx) once drill has exited."""
    checks = {"warns": list(warns), "quiet": quiet, "after": after}
    return pytest.param(setup, argv, code, list(words), stdin, report, seconds, checks, id=name)


CASES = [
    # -- seeds and counts ------------------------------------------------------------------
    case("seed -1", nothing, ["show", "forward-pass", "--seed", "-1"], 2, ["--seed", "-1"]),
    case("seed abc", nothing, ["show", "forward-pass", "--seed", "abc"], 2, ["--seed", "abc"]),
    case("seed 1.5", nothing, ["show", "forward-pass", "--seed", "1.5"], 2, ["--seed", "1.5"]),
    case("seed 2**64", nothing, ["show", "forward-pass", "--seed", str(2**64)], 2, ["--seed", str(2**64)]),
    case("seed empty", nothing, ["show", "forward-pass", "--seed", ""], 2, ["--seed"]),
    case("seed hex", nothing, ["show", "forward-pass", "--seed", "0x10"], 2, ["--seed"]),
    case("seed missing its value", nothing, ["show", "forward-pass", "--seed"], 2, ["--seed"]),
    case("practice seed -3", nothing, ["practice", "weight-decay", "--seed", "-3"], 2, ["--seed"]),
    case("check seed abc", files(**{"ok.py": RIGHT_RELU}), [*CHECK, "{tmp}/ok.py", "--seed", "abc"], 2,
         ["--seed"]),
    case("check seed 2**64", files(**{"ok.py": RIGHT_RELU}), [*CHECK, "{tmp}/ok.py", "--seed", str(2**64)],
         2, ["--seed"]),
    case("count 0", nothing, ["variants", "forward-pass", "--count", "0"], 2, ["--count", "0"]),
    case("count -5", nothing, ["variants", "forward-pass", "--count", "-5"], 2, ["--count", "-5"]),
    case("count x", nothing, ["variants", "forward-pass", "--count", "x"], 2, ["--count", "x"]),
    case("count 100000", nothing, ["variants", "forward-pass", "--count", "100000"], 2, ["--count", "100000"]),
    case("count 1e3", nothing, ["variants", "forward-pass", "--count", "1e3"], 2, ["--count"]),
    case("export variants 0", nothing, ["export", "anki", "-o", "{tmp}/x.apkg", "--variants", "0"], 2,
         ["--variants"]),
    case("export variants 99", nothing, ["export", "anki", "-o", "{tmp}/x.apkg", "--variants", "99"], 2,
         ["--variants"]),
    case("review --new -1", nothing, ["review", "--new", "-1"], 2, ["--new"]),
    case("review --new x", nothing, ["review", "--new", "x"], 2, ["--new"]),
    case("review --limit 0", nothing, ["review", "--limit", "0"], 2, ["--limit"]),
    case("review --time-box 0.1", nothing, ["review", "--time-box", "0.1"], 2, ["--time-box"]),
    *[
        case(f"review --time-box {value}", nothing, ["review", "--time-box", value], 2,
             ["--time-box", "minutes from 0.5 to 1440"])
        for value in ["nan", "NaN", "inf", "-inf", "1e308", "1e999", "1441"]
    ],
    *[
        case(f"selfcheck --time-limit {value}", nothing, ["selfcheck", "--time-limit", value], 2,
             ["--time-limit", "minutes from 0.01 to 1440"])
        for value in ["nan", "inf", "1e308", "1e-300", "1441"]
    ],
    # -- commands, arguments and options ---------------------------------------------------
    case("unknown command", nothing, ["reveiw"], 2, ["No such command"]),
    case("unknown option", nothing, ["status", "--colour"], 2, ["No such option"]),
    case("unknown decks subcommand", nothing, ["decks", "rename"], 2, ["No such command"]),
    case("unknown exporter", nothing, ["export", "pdf"], 2, ["No such command"]),
    case("show without an item", nothing, ["show"], 2, ["Missing argument"]),
    case("extra argument", nothing, ["status", "now"], 2, ["unexpected extra argument"]),
    case("starter of a numeric item", nothing, ["show", "forward-pass", "--starter"], 2,
         ["forward-pass is a numeric item"]),
    case("review without a terminal", nothing, ["review"], 1, ["needs an interactive terminal"]),
    case("review of an unknown item without a terminal", nothing, ["review", "--item", "nope"], 1,
         ["needs an interactive terminal"]),
    # -- unknown items and decks -----------------------------------------------------------
    case("show unknown item", nothing, ["show", "backprop"], 1, ["there is no item 'backprop'"]),
    case("variants unknown item", nothing, ["variants", "backprop"], 1, ["there is no item 'backprop'"]),
    case("practice unknown item", nothing, ["practice", "backprop"], 1, ["there is no item 'backprop'"]),
    case("export unknown item", nothing, ["export", "anki", "-o", "{tmp}/x.apkg", "--items", "backprop"], 1,
         ["there is no item 'backprop'"]),
    case("export no items", nothing, ["export", "anki", "-o", "{tmp}/x.apkg", "--items", ",,"], 1,
         ["no item ids given"]),
    case("status unknown deck", nothing, ["status", "--deck", "nope"], 1, ["there is no deck 'nope'"]),
    case("items unknown deck", nothing, ["items", "--deck", "nope"], 1, ["there is no deck 'nope'"]),
    case("stats unknown deck", nothing, ["stats", "--deck", "nope"], 1, ["there is no deck 'nope'"]),
    case("remove unknown deck", nothing, ["decks", "remove", "nope"], 1, ["there is no added deck 'nope'"]),
    case("remove the built-in deck", nothing, ["decks", "remove", "dl_foundations"], 1,
         ["built-in deck cannot be removed"]),
    case("undo with nothing to undo", nothing, ["undo"], 1, ["there is no grade to undo"]),
    # -- drill check: items and files ------------------------------------------------------
    case("check a numeric item", files(**{"ok.py": RIGHT_RELU}), ["check", "forward-pass", "{tmp}/ok.py"], 2,
         ["forward-pass is a numeric item", "code items"]),
    case("check a recall item", files(**{"ok.py": RIGHT_RELU}), ["check", "chain-rule", "{tmp}/ok.py"], 2,
         ["chain-rule is a recall item"]),
    case("check an unknown item", files(**{"ok.py": RIGHT_RELU}), ["check", "backprop", "{tmp}/ok.py"], 2,
         ["there is no item 'backprop'"]),
    case("check a missing file", nothing, [*CHECK, "{tmp}/missing.py"], 2, ["does not exist"]),
    case("check a file in a missing folder", nothing, [*CHECK, "{tmp}/no/such/answer.py"], 2,
         ["does not exist"]),
    case("check a directory", nothing, [*CHECK, "{tmp}"], 2, ["is a directory"]),
    case("check a binary file", files(**{"a.out": b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8}),
         [*CHECK, "{tmp}/a.out", "--seed", "0"], 1, ["binary data"], report=True),
    case("check a file with a NUL byte", files(**{"nul.py": RIGHT_RELU + "\x00\n"}),
         [*CHECK, "{tmp}/nul.py", "--seed", "0"], 1, ["binary data"], report=True),
    case("check a UTF-16 file", files(**{"u16.py": RIGHT_RELU.encode("utf-16")}),
         [*CHECK, "{tmp}/u16.py", "--seed", "0"], 1, ["saved as UTF-16 text", "save it as UTF-8"], report=True),
    case("check an empty file", files(**{"empty.py": ""}), [*CHECK, "{tmp}/empty.py", "--seed", "0"], 1,
         ["the file is empty"], report=True),
    case("check a huge file", files(**{"huge.py": RIGHT_RELU + "x = 1\n" * 200_000}),
         [*CHECK, "{tmp}/huge.py", "--seed", "0"], 1, ["a code answer should be a small .py file"],
         report=True),
    case("check a syntax error", files(**{"bad.py": RIGHT_RELU.replace("def relu(z):", "def relu(z)")}),
         [*CHECK, "{tmp}/bad.py", "--seed", "0"], 1, ["Python cannot read your code", "line 4"], report=True),
    case("check an infinite loop", files(**{"loop.py": RIGHT_RELU.replace(
        "return np.maximum(z, 0)", "while True:\n        pass")}),
         [*CHECK, "{tmp}/loop.py", "--seed", "0"], 1, ["did not finish"], report=True, seconds=20),
    case("check a sleeping answer", files(**{"sleep.py": RIGHT_RELU.replace(
        "return np.maximum(z, 0)", "import time\n    time.sleep(3600)")}),
         [*CHECK, "{tmp}/sleep.py", "--seed", "0"], 1, ["did not finish"], report=True, seconds=20),
    case("check an answer that crashes on import", files(**{"crash.py": "raise RuntimeError('boom')\n" + RIGHT_RELU}),
         [*CHECK, "{tmp}/crash.py", "--seed", "0"], 1, ["importing your code failed", "RuntimeError"],
         report=True),
    case("check an answer that exits", files(**{"exits.py": "import sys\nsys.exit(0)\n" + RIGHT_RELU}),
         [*CHECK, "{tmp}/exits.py", "--seed", "0"], 1, ["importing your code failed", "SystemExit"], report=True),
    case("check an answer that returns None", files(**{"none.py": RIGHT_RELU.replace(
        "return np.maximum(z, 0)", "pass")}),
         [*CHECK, "{tmp}/none.py", "--seed", "0"], 1, ["forget `return`", "cases passed"], report=True),
    case("check an answer that leaves a thread spinning", files(**{"thread.py": RIGHT_RELU + textwrap.dedent("""\
        import threading


        def _spin():
            while True:
                pass


        threading.Thread(target=_spin).start()
        """)}), [*CHECK, "{tmp}/thread.py", "--seed", "0"], 0, ["17 of 17 cases passed"], seconds=20),
    case("check an answer that closes its output", files(**{"closes.py": "import os\nos.close(1)\nos.close(2)\n"
                                                            + RIGHT_RELU}),
         [*CHECK, "{tmp}/closes.py", "--seed", "0"], 0, ["17 of 17 cases passed"]),
    case("check an endless loop that ignores SIGTERM", files(**{"stubborn.py": "import signal\n"
         "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n" + RIGHT_RELU.replace(
             "return np.maximum(z, 0)", "while True:\n        pass")}),
         [*CHECK, "{tmp}/stubborn.py", "--seed", "0"], 1, ["did not finish"], report=True, seconds=20),
    case("check an answer returning a booby-trapped object", files(**{"evil.py": RIGHT_RELU.replace(
        "return np.maximum(z, 0)", "return Evil()") + textwrap.dedent("""\


        class Evil:
            def __reduce__(self):
                return (exec, ("raise SystemExit(7)",))
        """)}), [*CHECK, "{tmp}/evil.py", "--seed", "0"], 1, ["expected a NumPy array"], report=True),
    case("check an answer returning a huge array", files(**{"huge_out.py": RIGHT_RELU.replace(
        "return np.maximum(z, 0)", "return np.zeros(10**8)")}),
         [*CHECK, "{tmp}/huge_out.py", "--seed", "0"], 1, ["cases passed"], report=True, seconds=30),
    case("check an answer raising an unprintable error", files(**{"unprintable.py": RIGHT_RELU.replace(
        "return np.maximum(z, 0)", "raise Odd()") + textwrap.dedent("""\


        class Odd(Exception):
            def __str__(self):
                raise RuntimeError("no words")
        """)}), [*CHECK, "{tmp}/unprintable.py", "--seed", "0"], 1, ["cases passed"], report=True),
    case("check a FIFO", fifo("pipe.py"), [*CHECK, "{tmp}/pipe.py", "--seed", "0"], 1,
         ["is not a regular file"], seconds=20),
    case("check /dev/null", nothing, [*CHECK, "/dev/null", "--seed", "0"], 1, ["is not a regular file"]),
    case("check a right answer saved with a BOM", files(**{"bom.py": "\ufeff" + RIGHT_RELU}),
         [*CHECK, "{tmp}/bom.py", "--seed", "0"], 0, ["cases passed"]),
    # -- DRILL_NOW ----------------------------------------------------------------------------
    *[
        case(f"DRILL_NOW {value!r}", env(DRILL_NOW=value), ["status"], 1, ["DRILL_NOW", "ISO 8601"])
        for value in ["next tuesday", "2026-13-01", "2026-11-25T25:00", "2026-02-30", "0001-01-01",
                      "9999-12-31T23:59", "2026-11-25T09:00+25:00", "nan", "1e999", "-1",
                      "1970-01-01T00:00:00+14:00"]
    ],
    *[
        case(f"DRILL_NOW {value!r} is out of range", env(DRILL_NOW=value), ["status"], 1,
             ["outside the years 1971 to 9000", f"is in the year {year};"])
        for value, year in [("0001-01-01", 1), ("9999-12-31T23:59", 9999), ("1970-01-01T00:00:00+14:00", 1970),
                            ("1970-12-31T23:59-14:00", 1970), ("9001-01-01T00:00+14:00", 9001)]
    ],
    *[
        case(f"DRILL_NOW {value!r} is in range", env(DRILL_NOW=value), ["status"], 0, ["12 new"])
        for value in ["1971-01-01T00:00+14:00", "1971-01-01T13:00+14:00", "1971-01-01T00:00:00+23:59",
                      "9000-12-31T23:59-14:00", "9000-12-31T12:00-12:00"]
    ],
    case("DRILL_NOW at the start of 1971 +14:00, stats", env(DRILL_NOW="1971-01-01T00:00+14:00"), ["stats"], 0,
         ["Due forecast"]),
    case("DRILL_NOW at the end of 9000 -14:00, stats", env(DRILL_NOW="9000-12-31T23:59-14:00"), ["stats"], 0,
         ["Due forecast"]),
    case("DRILL_NOW malformed for check", lambda t: (t.write("ok.py", RIGHT_RELU), {"DRILL_NOW": "soon"})[1],
         [*CHECK, "{tmp}/ok.py", "--seed", "0"], 1, ["DRILL_NOW"]),
    case("DRILL_NOW malformed for undo", env(DRILL_NOW="yesterday"), ["undo"], 1, ["DRILL_NOW"]),
    case("DRILL_NOW malformed for practice", env(DRILL_NOW="2026-11-25T09:61"), PRACTICE, 1, ["DRILL_NOW"],
         stdin=RIGHT),
    case("DRILL_NOW malformed for export", env(DRILL_NOW="later"), ["export", "anki", "-o", "{tmp}/x.apkg"], 1,
         ["DRILL_NOW"]),
    # -- DRILL_DB and --db ---------------------------------------------------------------------
    case("db in a missing folder", env(DRILL_DB="{tmp}/missing/drill.db"), ["status"], 1,
         ["does not exist", "create it first"]),
    case("db is a directory", env(DRILL_DB="{tmp}"), ["status"], 2, ["is a directory"]),
    case("db is a text file", db_file(b"my notes\n"), ["status"], 1, ["is not a drill database"]),
    case("db is random bytes", db_file(bytes(range(256)) * 4), ["items"], 1, ["is not a drill database"]),
    case("db is an empty file", db_file(b""), ["status"], 0, ["12 new"]),
    case("db of another program", other_programs_db, ["status"], 1, ["another program"]),
    case("db from a newer drill", newer_db, ["items"], 1, ["newer drill"]),
    case("db truncated", truncated_db, ["status"], 1, ["damaged", "backup"]),
    case("db read-only, change a setting", read_only_db(graded=False), ["config", "day-start", "3"], 1,
         ["read-only"]),
    case("db read-only, undo", read_only_db(graded=True), ["undo"], 1, ["read-only"]),
    case("db read-only, status still works", read_only_db(graded=False), ["status"], 0, ["12 new"]),
    case("db in a read-only folder", lambda t: (read_only_folder("ro")(t), {"DRILL_DB": f"{t.tmp}/ro/drill.db"})[1],
         ["status"], 1, ["ro/drill.db"]),
    case("db is empty text", env(DRILL_DB=""), ["status"], 2, ["DRILL_DB is set but empty"]),
    case("db option empty", nothing, ["--db", "", "status"], 1, ["is a folder"]),
    case("db is /dev/null", env(DRILL_DB="/dev/null"), ["status"], 1, ["is not a regular file"]),
    case("db is a FIFO", lambda t: (fifo("pipe.db")(t), {"DRILL_DB": f"{t.tmp}/pipe.db"})[1], ["status"], 1,
         ["is not a regular file"], seconds=20),
    case("db under a file", lambda t: (t.write("notes.txt", "x"), {"DRILL_DB": f"{t.tmp}/notes.txt/drill.db"})[1],
         ["status"], 1, ["notes.txt/drill.db"]),
    case("db name too long", env(DRILL_DB="{tmp}/" + TOO_LONG + ".db"), ["status"], 1, ["too long"]),
    *[
        case(f"db {how} {value}", setup, [*argv, "config", "day-start", "3"], 1, [message, "file path"])
        for value, message in [
            (":memory:", "in-memory database"), ("./:memory:", "in-memory database"),
            ("file:x.db?mode=memory", "SQLite URI"), ("file:x.db", "SQLite URI"), ("FILE:x.db", "SQLite URI"),
            ("file::memory:?cache=shared", "SQLite URI"), ("file:///tmp/x.db?mode=memory", "SQLite URI"),
            ("./file:x.db?mode=rwc", "SQLite URI"), ("file:%00.db", "SQLite URI"),
        ]
        for how, setup, argv in [("option", nothing, ["--db", value]), ("env", env(DRILL_DB=value), [])]
    ],
    case("db a plain path with # and ?", env(DRILL_DB="{tmp}/a#b?mode=memory.db"), ["config", "day-start", "3"],
         0, ["day-start"]),
    case("where with a db in a missing folder", env(DRILL_DB="{tmp}/missing/drill.db"), ["where"], 0,
         ["missing/drill.db"]),
    # -- settings ------------------------------------------------------------------------------
    case("unknown setting", nothing, ["config", "colour", "red"], 1, ["there is no setting 'colour'"]),
    case("show an unknown setting", nothing, ["config", "colour"], 1, ["there is no setting 'colour'"]),
    case("day-start 24", nothing, ["config", "day-start", "24"], 1, ["day-start must be an hour from 0 to 23"]),
    case("day-start x", nothing, ["config", "day-start", "x"], 1, ["day-start must be an hour from 0 to 23"]),
    case("day-start 3.5", nothing, ["config", "day-start", "3.5"], 1, ["day-start must be an hour"]),
    case("day-start -1 after --", nothing, ["config", "--", "day-start", "-1"], 1, ["day-start must be an hour"]),
    case("day-start empty", nothing, ["config", "day-start", ""], 1, ["day-start must be an hour"]),
    case("new-per-day 1001", nothing, ["config", "new-per-day", "1001"], 1, ["new-per-day must be a whole number"]),
    case("new-per-day abc", nothing, ["config", "new-per-day", "abc"], 1, ["new-per-day must be a whole number"]),
    case("config extra argument", nothing, ["config", "day-start", "3", "4"], 2, ["unexpected extra argument"]),
    # -- backups and exports: paths --------------------------------------------------------------
    case("backup into a missing folder", nothing, ["backup", "{tmp}/no/such/copy.db"], 1, ["does not exist"]),
    case("backup onto the database", nothing, ["backup", "{tmp}/drill.db"], 1, ["your drill database"]),
    case("backup over an existing file", files(**{"old.db": "x"}), ["backup", "{tmp}/old.db"], 1,
         ["already exists"]),
    case("backup to a directory", nothing, ["backup", "{tmp}"], 2, ["is a directory"]),
    case("backup into a read-only folder", read_only_folder("ro"), ["backup", "{tmp}/ro/copy.db"], 1,
         ["could not back up"]),
    case("backup when backups is a file", lambda t: (_drill_db(t), t.write("backups", "x"), {})[2], ["backup"], 1,
         ["could not back up"]),
    case("backup name too long", nothing, ["backup", "{tmp}/" + TOO_LONG + ".db"], 1, ["too long"]),
    case("export into a missing folder", nothing, ["export", "anki", "-o", "{tmp}/no/such/x.apkg"], 1,
         ["does not exist"]),
    case("export into a read-only folder", read_only_folder("ro"), ["export", "anki", "-o", "{tmp}/ro/x.apkg"],
         1, ["cannot write"]),
    case("export from a read-only database", read_only_db(graded=True),
         ["export", "anki", "-o", "{tmp}/x.apkg"], 0, ["Wrote 12 notes", "not remembered",
                                                        "read-only"]),
    case("export as collection.apkg", nothing, ["export", "anki", "-o", "{tmp}/collection.apkg"], 1,
         ["collection.apkg"]),
    case("export not .apkg", nothing, ["export", "anki", "-o", "{tmp}/x.txt"], 1, ["does not end in .apkg"]),
    case("export to a directory", nothing, ["export", "anki", "-o", "{tmp}"], 2, ["is a directory"]),
    case("export without -o", nothing, ["export", "anki"], 2, ["Missing option"]),
    case("export name too long", nothing, ["export", "anki", "-o", "{tmp}/" + TOO_LONG + ".apkg"], 1,
         ["too long"]),
    case("html without -o", nothing, ["export", "html"], 2, ["Missing option"]),
    case("html seed -1", nothing, ["export", "html", "-o", "{tmp}/x.html", "--seed", "-1"], 2, ["--seed"]),
    case("html sheets 0", nothing, ["export", "html", "-o", "{tmp}/x.html", "--sheets", "0"], 2, ["--sheets"]),
    case("html sheets 51", nothing, ["export", "html", "-o", "{tmp}/x.html", "--sheets", "51"], 2, ["--sheets"]),
    case("html answers both", nothing, ["export", "html", "-o", "{tmp}/x.html", "--answers", "both"], 2,
         ["--answers"]),
    case("html into a missing folder", nothing, ["export", "html", "-o", "{tmp}/no/such/x.html"], 1,
         ["does not exist"]),
    case("html into a read-only folder", read_only_folder("ro"), ["export", "html", "-o", "{tmp}/ro/x.html"], 1,
         ["ro"]),
    case("html not .html", nothing, ["export", "html", "-o", "{tmp}/x.txt"], 1, ["does not end in .html"]),
    case("html unknown item", nothing, ["export", "html", "-o", "{tmp}/x.html", "--items", "backprop"], 1,
         ["there is no item 'backprop'"]),
    case("html no items", nothing, ["export", "html", "-o", "{tmp}/x.html", "--items", ","], 1,
         ["no item ids given"]),
    case("html to a directory", nothing, ["export", "html", "-o", "{tmp}"], 2, ["is a directory"]),
    case("html name too long", nothing, ["export", "html", "-o", "{tmp}/" + TOO_LONG + ".html"], 1, ["too long"]),
    # -- restore and doctor ------------------------------------------------------------------------
    case("restore without a file", nothing, ["restore"], 2, ["Missing argument"]),
    case("restore a missing file", nothing, ["restore", "{tmp}/missing.db"], 2, ["does not exist"]),
    case("restore a directory", nothing, ["restore", "{tmp}"], 2, ["is a directory"]),
    case("restore a text file", files(**{"notes.db": "my notes\n"}), ["restore", "{tmp}/notes.db"], 1,
         ["not an SQLite file"]),
    case("restore another program's file", lambda t: (other_programs_db(t), t.db.rename(t.tmp / "other.db"), {})[2],
         ["restore", "{tmp}/other.db"], 1, ["another program"]),
    case("restore a newer drill's file", lambda t: (newer_db(t), t.db.rename(t.tmp / "newer.db"), {})[2],
         ["restore", "{tmp}/newer.db"], 1, ["newer drill"]),
    case("restore a damaged file", lambda t: (truncated_db(t), t.db.rename(t.tmp / "damaged.db"), {})[2],
         ["restore", "{tmp}/damaged.db"], 1, ["damaged"]),
    case("restore the database itself", fresh_db, ["restore", "{tmp}/drill.db"], 1, ["your drill database"]),
    case("restore /dev/null", nothing, ["restore", "/dev/null"], 1, ["not a file"]),
    case("restore over a read-only database", lambda t: (_drill_db(t), shutil.copy(t.db, t.tmp / "copy.db"),
                                                         t.read_only(t.db), {})[3],
         ["restore", "{tmp}/copy.db"], 1, ["read-only"]),
    case("doctor extra argument", nothing, ["doctor", "now"], 2, ["unexpected extra argument"]),
    case("doctor on a text file", db_file(b"my notes\n"), ["doctor"], 1, ["is not a drill database"]),
    case("doctor on a damaged file", truncated_db, ["doctor"], 1, ["damaged"]),
    case("doctor finds a card that disagrees with its log", lambda t: (_drill_db(t, graded=True), _tamper(t), {})[2],
         ["doctor"], 1, ["relu", "drill doctor --repair"]),
    # -- odd terminal sizes: a sensible default or a clamp, never nothing or a column of letters --
    *[
        case(f"stats COLUMNS={value!r}", env(COLUMNS=value), ["stats"], 0,
             ["Reviews per day", "0 days (review today to start one)", "Due forecast"])
        for value in ["0", "1", "5", "-5", "abc", "100000", "\u00b2", "99999999999999999999999", ""]
    ],
    case("stats LINES='\u00b2'", env(LINES="\u00b2"), ["stats"], 0, ["Due forecast"]),
    case("stats COLUMNS=0 LINES=0", env(COLUMNS="0", LINES="0"), ["stats"], 0, ["Due forecast"]),
    *[
        case(f"show COLUMNS={value!r}", env(COLUMNS=value), ["show", "relu"], 0, ["ReLU and its backward pass"])
        for value in ["0", "1", "7", "-5", "\u00b2", "100000"]
    ],
    case("practice COLUMNS=1", env(COLUMNS="1"), PRACTICE, 0, [*RIGHT_WORDS], stdin=RIGHT),
    # -- SM-2 intervals are capped at 36,500 days, so a long history stays within the calendar --
    case("doctor on 14 perfect reviews", long_history(5, 14), ["doctor"], 1, ["relu", "interval 36500"]),
    case("doctor on 40 perfect reviews", long_history(5, 40), ["doctor"], 1, ["relu", "interval 36500"]),
    case("doctor on 30 good reviews", long_history(4, 30), ["doctor"], 1, ["relu", "interval 36500"]),
    case("doctor --repair on 20 perfect reviews", long_history(5, 20), ["doctor", "--repair"], 0,
         ["Rebuilt 1 card", "is healthy"]),
    case("doctor on a card at the cap that agrees", long_history(5, 25, card_agrees=True), ["doctor"], 0,
         ["is healthy"]),
    case("stats with a card at the cap", long_history(5, 25, card_agrees=True), ["stats"], 0, ["relu"]),
    # -- drill decks add / check: malformed deck folders -----------------------------------------
    case("deck folder missing", nothing, ["decks", "add", "{tmp}/no-deck"], 1, ["is not a folder"]),
    case("deck path is a file", files(**{"deck.toml": DECK_TOML}), ["decks", "add", "{tmp}/deck.toml"], 2,
         ["is a file"]),
    case("deck path loops", symlink_loop, ["decks", "add", "{tmp}/loop1"], 1, ["loop1"]),
    case("deck path too long", nothing, ["decks", "add", "{tmp}/" + TOO_LONG], 1, ["too long"]),
    case("deck check path too long", nothing, ["decks", "check", "{tmp}/" + TOO_LONG], 1, ["too long"]),
    case("deck without deck.toml", deck(("deck.toml", None)), ["decks", "add", "{tmp}/deck"], 1,
         ["deck.toml:1: file not found"]),
    case("deck.toml not TOML", deck(("deck.toml", 'name = "mine\n')), ["decks", "add", "{tmp}/deck"], 1,
         ["deck.toml:1: not valid TOML"]),
    case("deck.toml name not text", deck(("deck.toml", replacing('"mine"', "5"))), ["decks", "add", "{tmp}/deck"],
         1, ["field 'name' must be non-empty text"]),
    case("deck.toml without a title", deck(("deck.toml", without("title"))), ["decks", "add", "{tmp}/deck"], 1,
         ["field 'title' must be non-empty text"]),
    case("deck named like the built-in", deck(("deck.toml", replacing('"mine"', '"dl_foundations"'))),
         ["decks", "add", "{tmp}/deck"], 1, ["belongs to the built-in deck"]),
    case("deck without items", deck(("01-double", None), ("02-square", None)), ["decks", "add", "{tmp}/deck"], 1,
         ["the deck has no items"]),
    case("item folder without item.toml", deck(("01-double/item.toml", None)), ["decks", "add", "{tmp}/deck"], 1,
         ["needs an item.toml"]),
    case("item.toml not TOML", deck(("01-double/item.toml", replacing('answer = "6"', 'answer = "6'))),
         ["decks", "add", "{tmp}/deck"], 1, ["item.toml:6: not valid TOML"]),
    case("item.toml not UTF-8", deck(("01-double/item.toml", b"\xff\xfeid = 1\n")),
         ["decks", "add", "{tmp}/deck"], 1, ["item.toml:1: cannot read the file"]),
    *[
        case(f"item without {key}", deck(("01-double/item.toml", without(f"{key} ="))),
             ["decks", "add", "{tmp}/deck"], 1, [f"missing field '{key}'"])
        for key in ["id", "kind", "title", "tags", "prompt", "answer", "explanation", "insight"]
    ],
    case("numeric item without value", deck(("01-double/item.toml", without("value ="))),
         ["decks", "add", "{tmp}/deck"], 1, ["needs a 'value' field or a variants.py"]),
    case("code item without task", deck(("02-square/item.toml", without("task ="))),
         ["decks", "add", "{tmp}/deck"], 1, ["missing field 'task'"]),
    case("code item without functions", deck(("02-square/item.toml", without("functions ="))),
         ["decks", "add", "{tmp}/deck"], 1, ["missing field 'functions'"]),
    case("code item without starter.py", deck(("02-square/starter.py", None)), ["decks", "add", "{tmp}/deck"], 1,
         ["needs a starter.py"]),
    case("id not text", deck(("01-double/item.toml", replacing('id = "double"', "id = 5"))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'id' must be non-empty text"]),
    case("id with capitals", deck(("01-double/item.toml", replacing('"double"', '"Double It"'))),
         ["decks", "add", "{tmp}/deck"], 1, ["may use only lowercase"]),
    case("kind not text", deck(("01-double/item.toml", replacing('kind = "numeric"', "kind = 3"))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'kind' must be non-empty text"]),
    case("title a list", deck(("01-double/item.toml", replacing('"Double it"', "[]"))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'title' must be non-empty text"]),
    case("tags not a list", deck(("01-double/item.toml", replacing('["math::basics"]', '"math"'))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'tags' must be a list"]),
    case("tags of numbers", deck(("01-double/item.toml", replacing('["math::basics"]', "[1, 2]"))),
         ["decks", "add", "{tmp}/deck"], 1, ["tag 1 must be text"]),
    case("value text", deck(("01-double/item.toml", replacing("value = 6", 'value = "six"'))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'value' must be a number"]),
    case("value true", deck(("01-double/item.toml", replacing("value = 6", "value = true"))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'value' must be a number"]),
    case("value inf", deck(("01-double/item.toml", replacing("value = 6", "value = inf"))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'value' must be a number"]),
    case("value a date", deck(("01-double/item.toml", replacing("value = 6", "value = 1979-05-27"))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'value' must be a number"]),
    case("tolerance a number", deck(("01-double/item.toml", replacing("value = 6", "value = 6\ntolerance = 5"))),
         ["decks", "add", "{tmp}/deck"], 1, ["tolerance must look like"]),
    case("tolerance text", deck(("01-double/item.toml", replacing("value = 6", 'value = 6\ntolerance = { rtol = "x" }'))),
         ["decks", "add", "{tmp}/deck"], 1, ["tolerance rtol must be a number"]),
    case("functions text", deck(("02-square/item.toml", replacing('["square"]', '"square"'))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'functions' must be a list"]),
    case("task a number", deck(("02-square/item.toml", replacing('task = "write"', "task = 1"))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'task' must be non-empty text"]),
    case("unknown field", deck(("01-double/item.toml", replacing("value = 6", "value = 6\ncolour = 'red'"))),
         ["decks", "add", "{tmp}/deck"], 1, ["unknown field 'colour'"]),
    case("unknown kind", deck(("01-double/item.toml", replacing('"numeric"', '"essay"'))),
         ["decks", "add", "{tmp}/deck"], 1, ["unknown kind 'essay'"]),
    case("duplicate ids", deck(("02-square/item.toml", replacing('id = "square"', 'id = "double"'))),
         ["decks", "add", "{tmp}/deck"], 1, ["duplicate id 'double'"]),
    case("id of a built-in item", deck(("01-double/item.toml", replacing('"double"', '"relu"'))),
         ["decks", "add", "{tmp}/deck"], 1, ["the id 'relu' is already used"]),
    case("generator raises", generator("""\
        def generate(seed):
            return {'prompt': 'p', 'answer': 1 / (seed - seed), 'solution': 's', 'params': {}}
        """), ["decks", "add", "{tmp}/deck", "--yes"], 1, ["variants.py", "ZeroDivisionError"]),
    case("generator fails to import", generator("import no_such_module_here\n\ndef generate(seed):\n    return {}\n"),
         ["decks", "add", "{tmp}/deck", "--yes"], 1, ["variants.py", "ModuleNotFoundError"]),
    case("generator syntax error", generator("def generate(seed)\n    pass\n"), ["decks", "add", "{tmp}/deck"], 1,
         ["variants.py:1: Python syntax error"]),
    case("generator without generate", generator("def make(seed):\n    pass\n"), ["decks", "add", "{tmp}/deck"],
         1, ["does not define generate()"]),
    case("generator takes no seed", generator("def generate():\n    return {}\n"), ["decks", "add", "{tmp}/deck", "--yes"],
         1, ["variants.py", "TypeError"]),
    case("generator returns a list", generator("def generate(seed):\n    return [1]\n"),
         ["decks", "add", "{tmp}/deck", "--yes"], 1, ["returned list, not a dict"]),
    case("generator forgets the solution", generator("""\
        def generate(seed):
            return {'prompt': 'p', 'answer': 1, 'params': {}}
        """), ["decks", "add", "{tmp}/deck", "--yes"], 1, ["returned no 'solution'"]),
    case("generator answer NaN", generator("""\
        def generate(seed):
            return {'prompt': 'p', 'answer': float('nan'), 'solution': 's', 'params': {}}
        """), ["decks", "add", "{tmp}/deck", "--yes"], 1, ["'answer' must be a finite number"]),
    case("generator answer text", generator("""\
        def generate(seed):
            return {'prompt': 'p', 'answer': 'two', 'solution': 's', 'params': {}}
        """), ["decks", "add", "{tmp}/deck", "--yes"], 1, ["'answer' must be a finite number"]),
    case("generator answer too big for a float", generator("""\
        def generate(seed):
            return {'prompt': 'p', 'answer': 10 ** 400, 'solution': 's', 'params': {}}
        """), ["decks", "add", "{tmp}/deck", "--yes"], 1, ["variants.py", "answer"]),
    case("generator params not JSON", generator("""\
        def generate(seed):
            return {'prompt': 'p', 'answer': 1, 'solution': 's', 'params': {'f': object()}}
        """), ["decks", "add", "{tmp}/deck", "--yes"], 1, ["variants.py", "not plain JSON data"]),
    case("generator recurses forever", generator("def generate(seed):\n    return generate(seed)\n"),
         ["decks", "add", "{tmp}/deck", "--yes"], 1, ["variants.py", "RecursionError"]),
    case("generator calls sys.exit(0)", generator("import sys\n\ndef generate(seed):\n    sys.exit(0)\n"),
         ["decks", "add", "{tmp}/deck", "--yes"], 1, ["variants.py"]),
    case("generator exits on import", generator("raise SystemExit(4)\n\ndef generate(seed):\n    return {}\n"),
         ["decks", "add", "{tmp}/deck", "--yes"], 1, ["variants.py"]),
    case("generator loops forever", generator("def generate(seed):\n    while True:\n        pass\n"),
         ["decks", "add", "{tmp}/deck", "--yes"], 1, ["variants.py"], seconds=15),
    case("decks check: generator calls sys.exit(0)",
         generator("import sys\n\ndef generate(seed):\n    sys.exit(0)\n"),
         ["decks", "check", "{tmp}/deck", "--run", "--yes"], 1, ["variants.py"]),
    case("reference fails its examples", deck(("02-square/reference.py", REFERENCE.replace("x * x", "x + x"))),
         ["decks", "add", "{tmp}/deck", "--yes"], 1, ["gave 6, expected 9"]),
    case("reference raises", deck(("02-square/reference.py", REFERENCE.replace("x * x", "x.shape"))),
         ["decks", "add", "{tmp}/deck", "--yes"], 1, ["reference.py:2", "AttributeError"]),
    case("reference EXAMPLES not a list", deck(("02-square/reference.py", REFERENCE.replace(
        "[('square', (3,), 9)]", "5"))), ["decks", "add", "{tmp}/deck", "--yes"], 1, ["reference.py", "EXAMPLES"]),
    case("reference syntax error", deck(("02-square/reference.py", "def square(x):\n    return x *\n")),
         ["decks", "add", "{tmp}/deck"], 1, ["reference.py:2: Python syntax error"]),
    case("reference binary", deck(("02-square/reference.py", b"\x7fELF\x00\xff\xfe")),
         ["decks", "add", "{tmp}/deck"], 1, ["reference.py"]),
    case("starter binary", deck(("02-square/starter.py", b"\x00\xff\xfe")), ["decks", "add", "{tmp}/deck"], 1,
         ["starter.py"]),
    case("decks check lists problems", deck(("01-double/item.toml", replacing('"numeric"', '"essay"')),
                                            ("02-square/starter.py", None)),
         ["decks", "check", "{tmp}/deck"], 1, ["2 problems found"]),
    # -- an added deck edited afterwards: its code runs again, and may be broken ------------------
    case("added deck checks a right answer", added_deck(), ["check", "square", "{tmp}/square.py", "--seed", "0"],
         0, ["2 of 2 cases passed"]),
    case("cases.py raises", added_deck(("02-square/cases.py", "def cases(seed):\n    raise ValueError('boom')\n")),
         ["check", "square", "{tmp}/square.py", "--seed", "0"], 1, ["cases.py", "ValueError"]),
    case("cases.py loops forever", added_deck(("02-square/cases.py", "def cases(seed):\n    while True:\n        pass\n")),
         ["check", "square", "{tmp}/square.py", "--seed", "0"], 1, ["cases.py"], seconds=20),
    case("cases.py calls sys.exit(0)", added_deck(("02-square/cases.py",
                                                  "import sys\n\ndef cases(seed):\n    sys.exit(0)\n")),
         ["check", "square", "{tmp}/square.py", "--seed", "0"], 1, ["cases.py"]),
    case("cases.py returns no cases", added_deck(("02-square/cases.py", "def cases(seed):\n    return []\n")),
         ["check", "square", "{tmp}/square.py", "--seed", "0"], 1, ["cases.py"]),
    case("cases.py returns odd arguments", added_deck(("02-square/cases.py", textwrap.dedent("""\
        def cases(seed):
            return [{"name": "x", "call": "square", "args": [object()]}]
        """))), ["check", "square", "{tmp}/square.py", "--seed", "0"], 1, ["cases.py"]),
    case("cases.py calls a missing function", added_deck(("02-square/cases.py", textwrap.dedent("""\
        def cases(seed):
            return [{"name": "x", "call": "cube", "args": [1.0]}]
        """))), ["check", "square", "{tmp}/square.py", "--seed", "0"], 1, ["cube"]),
    case("cases.py removed", added_deck(("02-square/cases.py", None)),
         ["check", "square", "{tmp}/square.py", "--seed", "0"], 1, ["has no cases.py"]),
    case("generator now loops forever", added_deck(("01-double/variants.py",
                                                   "def generate(seed):\n    while True:\n        pass\n")),
         ["show", "double", "--seed", "3"], 1, ["variants.py"], seconds=20),
    case("generator now calls sys.exit(0)", added_deck(("01-double/variants.py",
                                                       "import sys\n\ndef generate(seed):\n    sys.exit(0)\n")),
         ["show", "double", "--seed", "3"], 1, ["variants.py"]),
    case("deck now unreadable: the rest still works", added_deck(("01-double/item.toml", b"\xff\xfe")),
         ["status"], 0, ["Warning: the deck 'mine' has a problem", "12 new"]),
    case("deck now unreadable: its item is gone", added_deck(("01-double/item.toml", b"\xff\xfe")),
         ["show", "double"], 1, ["there is no item 'double'"]),
    # -- deck code runs only with the learner's consent ------------------------------------------
    case("decks add: no terminal and no --yes", deck(), ["decks", "add", "{tmp}/deck"], 1,
         ["02-square/reference.py", "no terminal to ask in", "pass --yes"]),
    case("decks add --yes of a deck added already", added_deck(), ["decks", "add", "{tmp}/deck", "--yes"], 0,
         ["Added deck 'mine'"], quiet=True),
    case("decks check --yes without --run", deck(), ["decks", "check", "{tmp}/deck", "--yes"], 2, ["--run"]),
    case("decks trust the built-in deck", nothing, ["decks", "trust", "dl_foundations"], 1, ["always trusted"]),
    case("decks trust an unknown deck", nothing, ["decks", "trust", "nope"], 1, ["no added deck 'nope'"]),
    case("decks trust: no terminal and no --yes",
         added_deck(("01-double/variants.py", GENERATOR), trusted_again=False), ["decks", "trust", "mine"], 1,
         ["added", "01-double/variants.py", "pass --yes"], quiet=True),
    case("code edited since trusted: the rest still works",
         added_deck(("01-double/variants.py", GENERATOR), trusted_again=False), ["status"], 0, ["12 new"],
         warns=["deck 'mine'", "its code changed since you trusted it", "drill decks trust mine"]),
    case("code edited since trusted: its items are left out",
         added_deck(("01-double/variants.py", GENERATOR), trusted_again=False), ["show", "double"], 1,
         ["there is no item 'double'"], warns=["its code changed"]),
    case("trust list not JSON", steps(added_deck(), trust_list("{oops")), ["status"], 1,
         ["trusted-decks.json", "was damaged", "drill decks add PATH"], after=set_aside),
    case("trust list of another shape", steps(added_deck(), trust_list("[1, 2]")),
         ["decks", "add", "{tmp}/deck", "--yes"], 1, ["damaged", "no version"], after=set_aside),
    case("trust list entry tampered", steps(added_deck(), trust_list(lambda text: re.sub(
        r'("02-square/reference.py": ")[0-9a-f]{64}', r"\g<1>" + "0" * 64, text))), ["status"], 1,
         ["entry 1 is malformed"], after=set_aside),
    case("trust list from a newer drill", steps(added_deck(), trust_list('{"version": 99, "decks": []}')), ["status"], 1, ["newer drill"],
         after=lambda t: (t.tmp / "config/trusted-decks.json").is_file() or pytest.fail("it was moved")),
    case("DRILL_CONFIG_DIR empty", steps(added_deck(), env(DRILL_CONFIG_DIR="")), ["status"], 1,
         ["DRILL_CONFIG_DIR is set but empty"]),
    case("config folder is a file", steps(added_deck(), files(**{"notes.txt": "x"}),
                                          env(DRILL_CONFIG_DIR="{tmp}/notes.txt")), ["status"], 1,
         ["cannot read the list of decks you trust"]),
    case("config folder is a file: decks add", steps(deck(), files(**{"notes.txt": "x"}),
                                                     env(DRILL_CONFIG_DIR="{tmp}/notes.txt")),
         ["decks", "add", "{tmp}/deck", "--yes"], 1, ["list of decks you trust"]),
    # -- typed answers: a hint and another try, then the right answer ----------------------------
    case("answer empty", nothing, PRACTICE, 0, ["the answer is empty", "Try again", *RIGHT_WORDS],
         stdin="\n" + RIGHT),
    case("answer blank", nothing, PRACTICE, 0, ["the answer is empty", *RIGHT_WORDS], stdin="   \t \n" + RIGHT),
    case("answer huge", nothing, PRACTICE, 0, ["too long", *RIGHT_WORDS], stdin="9" * 10_000 + "\n" + RIGHT),
    case("answer huge brackets", nothing, PRACTICE, 0, ["too long", *RIGHT_WORDS], stdin="[" * 10_000 + "\n" + RIGHT),
    case("answer a megabyte", nothing, PRACTICE, 0, ["too long", *RIGHT_WORDS], stdin="1" * 2**20 + "\n" + RIGHT),
    case("answer unicode junk", nothing, PRACTICE, 0, ["is not a number", *RIGHT_WORDS],
         stdin="ñ☃💥\u202e\u200b\n" + RIGHT),
    case("answer control characters", nothing, PRACTICE, 0, ["invisible character", *RIGHT_WORDS],
         stdin="\x00\x01\x1b[31m\x7f\n" + RIGHT),
    case("answer invalid UTF-8", nothing, PRACTICE, 0, [*RIGHT_WORDS], stdin=b"\xff\xfe\x80abc\n2\n"),
    case("answer 1e999", nothing, PRACTICE, 0, ["not a finite number", *RIGHT_WORDS], stdin="1e999\n" + RIGHT),
    case("answer nan", nothing, PRACTICE, 0, ["not a finite number", *RIGHT_WORDS], stdin="nan\n" + RIGHT),
    case("answer inf", nothing, PRACTICE, 0, ["not a finite number", *RIGHT_WORDS], stdin="inf\n" + RIGHT),
    case("answer -inf", nothing, PRACTICE, 0, ["not a finite number", *RIGHT_WORDS], stdin="-inf\n" + RIGHT),
    case("answer python code", nothing, PRACTICE, 0, ["is not a number", *RIGHT_WORDS],
         stdin="__import__('os').system('true')\n" + RIGHT),
    case("answer unclosed bracket", nothing, PRACTICE, 0, ["never closed", *RIGHT_WORDS], stdin="[1,\n" + RIGHT),
    case("answer power tower", nothing, PRACTICE, 0, ["too large", *RIGHT_WORDS], stdin="9**9**9**9\n" + RIGHT),
    case("answer deep nesting", nothing, PRACTICE, 0, ["nested", *RIGHT_WORDS], stdin="(" * 500 + "1\n" + RIGHT),
    case("answer division by zero", nothing, PRACTICE, 0, ["division by zero", *RIGHT_WORDS], stdin="1/0\n" + RIGHT),
    case("three unreadable answers", nothing, PRACTICE, 0, ["is not a number", "Worked solution"],
         stdin="x\ny\nz\n"),
    case("weight-decay answer junk", nothing, ["practice", "weight-decay", "--seed", "0"], 0,
         ["is not a number", "✓ Right"], stdin="lambda\n0.9999\n"),
    case("practice with stdin closed", nothing, PRACTICE, 1, [], stdin=""),
    # == the learner's data in trouble =========================================================
    # -- an output path that is the database or one of its files, however it is spelled --------
    *[
        case(f"export anki onto the database: {how}", setup, ["export", "anki", "-o", out], 1,
             ["your drill database"], after=intact)
        for how, setup, out in [
            ("the same path", db_named("deck.apkg"), "{tmp}/deck.apkg"),
            ("through ..", db_named("deck.apkg"), "{tmp}/sub/../deck.apkg"),
            ("a relative path", db_named("deck.apkg"), "deck.apkg"),
            ("a symlinked folder", steps(db_named("deck.apkg"), links(("sym", "here", "."))),
             "{tmp}/here/deck.apkg"),
            ("a symlink", steps(graded(), links(("sym", "phone.apkg", "drill.db"))), "{tmp}/phone.apkg"),
            ("a hard link", steps(graded(), links(("hard", "phone.apkg", "drill.db"))), "{tmp}/phone.apkg"),
            ("a symlink to its -wal", steps(graded(), links(("sym", "wal.apkg", "drill.db-wal"))),
             "{tmp}/wal.apkg"),
        ]
    ],
    *[
        case(f"export html onto the database: {how}", setup, ["export", "html", *options], 1,
             ["your drill database"], after=intact)
        for how, setup, options in [
            ("the same path", db_named("sheet.html"), ["-o", "{tmp}/sheet.html"]),
            ("through ..", db_named("sheet.html"), ["-o", "{tmp}/sub/../sheet.html", "--seed", "4"]),
            ("a symlink", steps(graded(), links(("sym", "print.html", "drill.db"))), ["-o", "{tmp}/print.html"]),
            ("a hard link", steps(graded(), links(("hard", "print.HTML", "drill.db"))), ["-o", "{tmp}/print.HTML"]),
            ("a symlink to its -shm", steps(graded(), links(("sym", "shm.html", "drill.db-shm"))),
             ["-o", "{tmp}/shm.html"]),
            ("a symlink to its -journal", steps(graded(), links(("sym", "j.htm", "drill.db-journal"))),
             ["-o", "{tmp}/j.htm"]),
            ("the self-check paper through a symlink", steps(graded(), links(("sym", "paper.html", "drill.db"))),
             ["--selfcheck", "-o", "{tmp}/paper.html"]),
            ("the key file is the database", db_named("sheet-key.html"),
             ["--answers", "separate", "-o", "{tmp}/sheet.html"]),
            ("the key file through ..", db_named("sheet-key.html"),
             ["--answers", "separate", "-o", "{tmp}/sub/../sheet.html", "--sheets", "2"]),
            ("the key file is a symlink to it", steps(graded(), links(("sym", "out-key.html", "drill.db"))),
             ["--answers", "separate", "-o", "{tmp}/out.html"]),
            ("the key file is a hard link to it", steps(graded(), links(("hard", "out-key.html", "drill.db"))),
             ["-o", "{tmp}/out.html", "--answers", "separate"]),
            ("the key file is a symlink to its -wal", steps(graded(), links(("sym", "w-key.html", "drill.db-wal"))),
             ["--answers", "separate", "-o", "{tmp}/w.html"]),
        ]
    ],
    *[
        case(f"backup onto the database: {how}", setup, [*argv], 1, ["your drill database"], after=intact)
        for how, setup, argv in [
            ("through ..", steps(graded(), mkdirs("sub")), ["backup", "{tmp}/sub/../drill.db"]),
            ("a relative path", graded(), ["backup", "drill.db"]),
            ("./", graded(), ["backup", "./drill.db"]),
            ("a symlinked folder", steps(graded(), links(("sym", "here", "."))), ["backup", "{tmp}/here/drill.db"]),
            ("a symlink", steps(graded(), links(("sym", "alias.db", "drill.db"))), ["backup", "{tmp}/alias.db"]),
            ("a hard link", steps(graded(), links(("hard", "twin.db", "drill.db"))), ["backup", "{tmp}/twin.db"]),
            ("its -wal", graded(), ["backup", "{tmp}/drill.db-wal"]),
            ("its -shm", graded(), ["backup", "{tmp}/drill.db-shm"]),
            ("its -journal", graded(), ["backup", "{tmp}/drill.db-journal"]),
            ("a symlink to its -journal", steps(graded(), links(("sym", "j.db", "drill.db-journal"))),
             ["backup", "{tmp}/j.db"]),
            ("the database named through ..", steps(graded(), mkdirs("sub")),
             ["--db", "{tmp}/sub/../drill.db", "backup", "{tmp}/drill.db"]),
        ]
    ],
    # -- in-memory databases and URIs, with other commands ----------------------------------------
    case("db :memory: for status", nothing, ["--db", ":memory:", "status"], 1, ["in-memory database"]),
    case("DRILL_DB file: URI for backup", env(DRILL_DB="file:drill.db"), ["backup"], 1, ["SQLite URI"]),
    case("DRILL_DB memory URI for items", env(DRILL_DB="file:x.db?mode=memory"), ["items"], 1, ["SQLite URI"]),
    case("db shared-cache memory URI for undo", nothing,
         ["--db", "file:{tmp}/drill.db?mode=memory&cache=shared", "undo"], 1, ["SQLite URI"]),
    case("DRILL_DB :memory: for export", env(DRILL_DB=":memory:"), ["export", "html", "-o", "{tmp}/s.html"], 1,
         ["in-memory database"]),
    # -- daily backups: a damaged database never pushes good copies out ---------------------------
    *[
        case(f"daily backup of a damaged database: {how}", damaged_with_history(how), ["status"], 0, ["new"],
             warns=["backups are kept"], after=good_copies_kept)
        for how in ["index cells overwritten", "index page type", "index cell count", "index cell pointer",
                    "freelist", "table page"]
    ],
    case("daily backup of a damaged database: items", damaged_with_history("index page type"), ["items"], 0,
         ["relu"], warns=["backups are kept"], after=good_copies_kept),
    case("daily backup of a damaged database: show", damaged_with_history("index cell count"), ["show", "relu"], 0,
         ["ReLU"], warns=["backups are kept"], after=good_copies_kept),
    case("daily backup of a damaged database: a year later", damaged_with_history(
        "freelist", command_day="2027-11-30T21:00:00-05:00"), ["status"], 0, ["new"],
         warns=["backups are kept"], after=good_copies_kept),
    *[
        case(f"daily backup beside unsound copies: {how}",
             steps(graded(backup_due=False), backup_history(good, bad), also(DRILL_NOW=LATER)), ["status"], 0,
             ["new"], after=newest_sound_kept)
        for how, good, bad in [
            ("10 good, then 0-byte, half-written and garbage", 10,
             [("empty", "20261125-100000", "daily"), ("half", "20261126-090000", "daily"),
              ("garbage", "20261127-090000", "daily")]),
            ("5 good, then 8 bad", 5,
             [(kind, f"2026112{5 + k // 4}-0{k % 4}0000", "daily")
              for k, kind in enumerate(["empty", "half", "header", "garbage"] * 2)]),
            ("10 good, bad ones in between", 10,
             [("empty", "20261118-120000", "daily"), ("half", "20261120-120000", "daily"),
              ("header", "20261122-120000", "daily"), ("empty", "20261123-120000", "daily-2"),
              ("half", "20261124-120000", "daily")]),
            ("10 good, then half-written copies before an upgrade", 10,
             [("half", "20261125-080000", "before-v5"), ("empty", "20261125-080001", "before-v4"),
              ("half", "20261125-080002", "daily-3")]),
            ("1 good, then 11 bad", 1,
             [(kind, f"202611{25 + k // 6}-0{k % 6}0000", "daily")
              for k, kind in enumerate(["empty", "half", "header", "garbage", "empty", "half",
                                        "header", "garbage", "empty", "half", "header"])]),
        ]
    ],
    case("a daily backup is a rollback-journal file", graded(later=True), ["status"], 0, ["new"],
         after=all_of(daily_copy_not_wal, backups_all_sound)),
    case("a daily backup of a later day is a rollback-journal file",
         steps(graded(backup_due=False), backup_history(3), also(DRILL_NOW=LATER)), ["items"], 0, ["relu"],
         after=all_of(daily_copy_not_wal, backups_all_sound)),
    case("a manual backup is a sound rollback-journal file", graded(backup_due=False), ["backup"], 0,
         ["Backed up"], after=newest_backup_sound),
    case("a backup to a path is a sound rollback-journal file", graded(), ["backup", "{tmp}/copy.db"], 0,
         ["Backed up"], after=sound_at("copy.db")),
    # -- restore over a database in any state ----------------------------------------------------
    *[
        case(f"restore over a {kind} database", steps(current(kind), saved_backup()),
             ["restore", "{tmp}/saved/good.db"], 0, ["Restored"], after=restored)
        for kind in ["truncated", "half", "empty", "garbage", "notes", "bad UTF-8 in last_backup_day"]
    ],
    case("restore over an empty database from its own backups", emptied("daily", "daily", "manual"),
         ["restore", "{tmp}/backups/drill-20261121-090000-daily.db"], 0, ["Restored"], after=restored),
    case("restore over a truncated database, a relative path", steps(current("truncated"), saved_backup("good.db")),
         ["restore", "good.db"], 0, ["Restored"], after=restored),
    # -- restore from a path with characters that mean something in an SQLite URI ----------------
    *[
        case(f"restore from {arg!r}", steps(graded(), saved_backup(name, decoy=decoy)), ["restore", arg], 0,
             ["Restored"], after=holds_named)
        for name, decoy, arg in [
            ("old#new.db", "old", "{tmp}/old#new.db"),
            ("old#new.db", "old", "old#new.db"),
            ("a?b.db", "a", "{tmp}/a?b.db"),
            ("x%00y.db", None, "{tmp}/x%00y.db"),
            ("é t%20é.db", "é t é.db", "{tmp}/é t%20é.db"),
            ("100%41.db", "100A.db", "{tmp}/100%41.db"),
            ("b?mode=memory&cache=shared.db", None, "{tmp}/b?mode=memory&cache=shared.db"),
            ("back#ups/good.db", "back", "{tmp}/back#ups/good.db"),
            ("Grüße & 日本 #2.db", "Grüße & 日本 ", "{tmp}/Grüße & 日本 #2.db"),
            ("q?mode=ro&immutable=1.db", "q", "q?mode=ro&immutable=1.db"),
        ]
    ],
    # -- an empty database file where backups say there was a database ----------------------------
    *[
        case(f"empty database with backups: {' '.join(argv)}", emptied("daily", "daily", "manual"), argv, 1,
             ["empty", "drill restore"], after=still_empty)
        for argv in [["status"], ["items"], ["show", "relu"], ["stats"], ["undo"], ["config", "new-per-day", "3"],
                     ["export", "html", "-o", "{tmp}/s.html"], ["doctor"], ["selfcheck", "--history"],
                     ["practice", "forward-pass", "--seed", "0"]]
    ],
    case("empty database with one manual backup", emptied("manual"), ["status"], 1, ["empty", "drill restore"],
         after=still_empty),
    case("empty database with a copy made before an upgrade", emptied("before-v5"), ["items"], 1,
         ["empty", "drill restore"], after=still_empty),
    case("empty database mine.db with its backups", emptied("daily", "daily", stem="mine"), ["status"], 1,
         ["empty", "drill restore"], after=still_empty),
    case("empty database without backups: items", db_file(b""), ["items"], 0, ["relu"]),
    case("empty database without backups: show", db_file(b""), ["show", "relu"], 0, ["ReLU and its backward pass"]),
    case("empty database beside an empty backups folder", steps(db_file(b""), mkdirs("backups")), ["status"], 0,
         ["12 new"]),
    # -- doctor: an item's stored content changed behind drill's back -----------------------------
    *[
        case(f"doctor finds stored content changed: {how}", tampered_content(sql, deck=deck), ["doctor"], 1,
             ["content", item])
        for how, sql, deck, item in [
            ("emptied", "UPDATE items SET content = '{}' WHERE id = 'relu'", False, "relu"),
            ("a prompt rewritten", ("UPDATE items SET content = json_set(content, '$.prompt', 'What is 2 + 2?') "
                                    "WHERE id = 'forward-pass'"), False, "forward-pass"),
            ("a word swapped", "UPDATE items SET content = replace(content, 'max', 'min') WHERE id = 'relu'",
             False, "relu"),
            ("not JSON", "UPDATE items SET content = 'not json' WHERE id = 'mse'", False, "mse"),
            ("an added deck's item", ("UPDATE items SET content = json_set(content, '$.answer', '7') "
                                      "WHERE id = 'double'"), True, "double"),
        ]
    ],
    # -- drill undo outside a session ------------------------------------------------------------
    case("undo outside a session: a grade of an earlier day", graded(later=True), ["undo"], 0, ["Undid", "relu"]),
    case("undo outside a session: the latest of two grades", graded(grades=(("mse", 5), ("relu", 2))), ["undo"],
         0, ["Undid", "relu"]),
    case("undo outside a session with the daily backup due on a nearly full disk", small_disk(64), ["undo"], 0,
         ["Undid", "relu"], warns=["backup"], after=backups_all_sound),
    # -- output in an encoding that cannot show every character -----------------------------------
    *[
        case(f"{encoding} output: {how}", steps(setup, env(PYTHONIOENCODING=encoding)), argv, code, words,
             report=code == 1)
        for encoding in ["cp1252", "latin-1"]
        for how, setup, argv, code, words in [
            ("show relu", nothing, ["show", "relu"], 0, ["ReLU and its backward pass"]),
            ("show forward-pass --seed 2", nothing, ["show", "forward-pass", "--seed", "2"], 0, ["Forward pass"]),
            ("show weight-decay --seed 3", nothing, ["show", "weight-decay", "--seed", "3"], 0, ["weight"]),
            ("stats", graded(), ["stats"], 0, ["Due forecast"]),
            ("check a right answer", files(**{"ok.py": RIGHT_RELU}), [*CHECK, "{tmp}/ok.py", "--seed", "0"], 0,
             ["17 of 17 cases passed"]),
            ("check a wrong answer", files(**{"wrong.py": WRONG_RELU}), [*CHECK, "{tmp}/wrong.py", "--seed", "0"],
             1, ["cases passed"]),
            ("items of a deck with a non-ASCII title", added_deck(NON_ASCII_TITLE),
             ["items"], 0, ["relu", "double"]),
        ]
    ],
    case("ascii output: stats", steps(graded(), env(PYTHONIOENCODING="ascii")), ["stats"], 0, ["Due forecast"]),
    case("cp1252 output: show relu --json", env(PYTHONIOENCODING="cp1252"), ["show", "relu", "--json"], 0,
         ['"item": "relu"']),
    # -- text that is not UTF-8 inside the database ------------------------------------------------
    *[
        case(f"not UTF-8 in {where}: {' '.join(argv)}", bad_text(*sql, deck=deck), argv, code, words)
        for where, sql, deck, reads in [
            ("day_start (c3)", [BAD_DAY_START.format("c3")], False, [["status"], ["stats"], ["config"]]),
            ("day_start (ff)", [BAD_DAY_START.format("ff")], False, [["status"], ["config", "day-start"]]),
            ("an item title", [BAD_TITLE], False, [["items"], ["items", "--json"]]),
            ("a review's answer", [BAD_ANSWER], False, []),
            ("a deck's path", [BAD_DECK_PATH], True, [["status"], ["items"], ["show", "relu"]]),
        ]
        for argv, code, words in [*[(read, 1, ["damaged"]) for read in reads], (["doctor"], 1, ["UTF-8"])]
    ],
    *[
        case(f"restore over a database with non-UTF-8 {where}", steps(bad_text(*sql, deck=deck), saved_backup()),
             ["restore", "{tmp}/saved/good.db"], 0, ["Restored"], after=restored)
        for where, sql, deck in [
            ("day_start", [BAD_DAY_START.format("c3")], False),
            ("an item title", [BAD_TITLE], False),
            ("a review's answer", [BAD_ANSWER], False),
            ("a deck's path", [BAD_DECK_PATH], True),
            ("last_backup_day", [BAD_LAST_BACKUP_DAY], False),
        ]
    ],
    # -- a read-only database: every read works, a write says why not, no backup is attempted -----
    *[
        case(f"read-only database, {day}: {' '.join(argv)}", graded_read_only(later=later), argv, 0, words,
             after=all_of(intact, no_new_backup))
        for day, later in [("today", False), ("a later day", True)]
        for argv, words in [
            (["status"], ["new"]), (["items"], ["relu"]), (["show", "relu"], ["ReLU and its backward pass"]),
            (["show", "forward-pass", "--seed", "5"], ["Forward pass"]), (["stats"], ["Due forecast"]),
            (["export", "html", "-o", "{tmp}/out.html"], ["Wrote"]), (["doctor"], ["healthy"]),
            (["selfcheck", "--history"], []),
        ]
    ],
    *[
        case(f"read-only database, {day}: {' '.join(argv)}",
             steps(graded_read_only(later=later), files(**{"answers.toml": ANSWERS_TOML})), argv, 1, ["read-only"],
             after=all_of(nothing_saved, no_new_backup))
        for day, later in [("today", False), ("a later day", True)]
        for argv in [["config", "new-per-day", "3"], ["undo"], ["selfcheck", "--answers", "{tmp}/answers.toml"],
                     ["config", "day-start", "3"]]
    ],
    *[
        case(f"read-only disk: {' '.join(argv)}", read_only_disk(), argv, code, words, after=intact)
        for argv, code, words in [
            (["status"], 0, ["new"]), (["items"], 0, ["relu"]), (["show", "relu"], 0, ["ReLU"]),
            (["stats"], 0, ["Due forecast"]), (["doctor"], 0, ["healthy"]),
            (["config", "new-per-day", "3"], 1, ["read-only"]), (["undo"], 1, ["read-only"]),
        ]
    ],
    *[
        case(f"read-only database, an added deck changed: {how} {' '.join(argv)}",
             steps(added_deck(change), read_only_file("drill.db")), argv, 0, words)
        for how, change in [("a title", ("01-double/item.toml", replacing('"Double it"', '"Double it again"'))),
                            ("an item removed", ("02-square", None))]
        for argv, words in [(["status"], ["new"]), (["items"], ["double"]), (["show", "double"], ["Double it"])]
    ],
    # -- a nearly full disk: the daily backup warns, the command runs, no half copy is left --------
    *[
        case(f"nearly full disk ({kb} KB free): {' '.join(argv)}", small_disk(kb), argv, 0, words, warns=["backup"],
             after=all_of(intact, backups_all_sound))
        for kb, argv, words in [
            (48, ["status"], ["new"]), (64, ["status"], ["new"]), (100, ["status"], ["new"]),
            (64, ["items"], ["relu"]), (80, ["show", "relu"], ["ReLU"]),
        ]
    ],
    *[
        case(f"nearly full disk ({kb} KB free): {second} after {first} the same day does not warn",
             then_ran(small_disk(kb), first), [second], 0, ["new"] if second == "status" else ["relu"], quiet=True,
             after=all_of(intact, backups_all_sound))
        for kb, first, second in [(64, "status", "status"), (100, "status", "status"), (64, "items", "status"),
                                  (80, "status", "items")]
    ],
    # -- a full disk, a read-only folder, and the ends of DRILL_NOW's range ------------------------
    *[
        case(f"full disk ({kb} KB free{', backup due' if due else ''}): {' '.join(argv)}",
             small_disk(kb, backup_due=due), argv, 1,
             ["full", "nothing was lost"], after=nothing_saved)
        for kb, due in [(0, False), (16, False), (36, False), (0, True)]
        for argv in [["config", "new-per-day", "3"], ["undo"]]
    ],
    *[
        case(f"database in a read-only folder{', backup due' if due else ''}: {' '.join(argv)}",
             read_only_folder_db(backup_due=due), argv, 1, ["folder", "read-only"], after=nothing_saved)
        for due in [False, True]
        for argv in [["config", "new-per-day", "3"], ["undo"], ["config", "day-start", "3"]]
    ],
    case("database in a read-only folder: status still works", read_only_folder_db(), ["status"], 0, ["new"],
         after=intact),
    *[
        case(f"DRILL_NOW {value!r}, {how}", steps(setup, also(DRILL_NOW=value)), ["status"], 0, ["new"],
             warns=warns, after=after)
        for value in ["1971-01-01T00:00+14:00", "9000-12-31T23:00-12:00"]
        for how, setup, warns, after in [
            ("daily backup due", graded(), [], all_of(intact, backups_all_sound)),
            ("daily backup due on a nearly full disk", small_disk(64), ["backup"],
             all_of(intact, backups_all_sound)),
            ("database in a read-only folder", read_only_folder_db(backup_due=True), [], intact),
        ]
    ],
    # -- a backup beside the temporaries of a backup that was killed -------------------------------
    *[
        case(f"backup beside a killed backup's {' and '.join(kinds)}", steps(graded(), stale_parts(*kinds)),
             ["backup", "{tmp}/out/copy.db"], 0, ["Backed up"], after=sound_at("out/copy.db"))
        for kinds in [("part",), ("part", "part-journal"), ("empty part",), ("part-journal",)]
    ],
    case("backup into backups/ beside a killed backup's part",
         steps(graded(backup_due=False), stale_parts("part", "part-journal", folder="backups")), ["backup"], 0,
         ["Backed up"], after=all_of(newest_backup_sound, backups_all_sound)),
    case("daily backup beside a killed backup's part",
         steps(graded(backup_due=False), stale_parts("part", folder="backups"), also(DRILL_NOW=LATER)), ["status"],
         0, ["new"], after=all_of(newest_backup_sound, backups_all_sound)),
]


@pytest.fixture
def ctx(tmp_path):
    context = Ctx(tmp_path)
    yield context
    for cleanup in context.cleanups:
        cleanup()


@pytest.mark.parametrize(("setup", "argv", "code", "words", "stdin", "report", "seconds", "checks"), CASES)
def test_bad_input(ctx, setup, argv, code, words, stdin, report, seconds, checks):
    extra = setup(ctx)
    ctx.memo["backups"] = _snapshot(ctx.backups)  # as the setup left them
    args = [arg.format(tmp=ctx.tmp) for arg in argv]
    full_env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", **extra}  # a case may set COLUMNS
    if stdin is None:
        stdin = b""
    elif isinstance(stdin, str):
        stdin = stdin.encode("utf-8")
    limit = seconds or 60
    started = time.monotonic()
    try:
        result = subprocess.run([sys.executable, "-m", "drill", *args], input=stdin, capture_output=True,
                                env=full_env, timeout=limit, cwd=ctx.tmp)
    except subprocess.TimeoutExpired:
        pytest.fail(f"drill {' '.join(argv)} did not finish within {limit} s")
    elapsed = time.monotonic() - started
    out = result.stdout.decode("utf-8", errors="replace")
    err = result.stderr.decode("utf-8", errors="replace")
    shown = f"exit {result.returncode}\n--- stdout\n{out[-3000:]}\n--- stderr\n{err[-3000:]}"

    assert "Traceback" not in out + err, shown
    assert result.returncode == code, shown
    if code == 1 and not report:  # one line `Error: ...`, after any warnings about added decks
        lines = err.splitlines()
        assert err.endswith("\n") and lines and lines[-1].startswith("Error: "), shown
        assert all(line.startswith("Warning: ") for line in lines[:-1]), shown
    if code == 1 and report:
        assert err == "", shown
    if code == 2:
        assert err.strip().splitlines()[-1].startswith("Error: "), shown
    for word in words:
        assert word.lower() in (out + err).lower(), f"{word!r} not in the output\n{shown}"
    if seconds:
        assert elapsed < seconds, shown
    warnings = [line for line in err.splitlines() if line.startswith("Warning: ")]
    for word in checks["warns"]:
        assert any(word.lower() in line.lower() for line in warnings), f"no warning with {word!r}\n{shown}"
    if checks["quiet"]:
        assert not warnings and "warning" not in err.lower(), shown
    if checks["after"] is not None:
        checks["after"](ctx)
