"""`drill export` never writes over the database and leaves no litter, however it ends.

Real `drill` processes, real files and real signals. An export refuses every name of the
learner's database and of its -wal/-shm/-journal files as its output (the path itself, `..`,
a symbolic link, a hard link, the key file of `--answers separate`). An export that is
killed leaves the previous output or a complete new one, never a temporary folder, and no
part file: SIGTERM and SIGHUP unwind and clean up, and what a SIGKILL leaves goes with the
next export into the folder, while a running export's part file is left alone.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

GRADED_AT = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)  # the pinned day's morning
PART = re.compile(r"\.drill-.*\.part\Z")
KILLS = 12  # random kill points per test
TARGETED = {"anki": 4, "html": 15}  # tries to kill an export while it writes


def graded_db(path: Path) -> Path:
    """A database at `path` holding one graded review (relu, 4)."""
    from drill.collection import open_collection

    collection = open_collection(path)
    try:
        collection.store.grade("relu", 4, when=GRADED_AT)
    finally:
        collection.close()
    return path


def assert_db_intact(db: Path) -> None:
    """The database opens, passes SQLite's integrity check and still holds its review."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT item_id, quality FROM reviews").fetchall() == [("relu", 4)]
    finally:
        conn.close()
    status = drill(["status", "--json"], db=db)
    assert status.returncode == 0, status.stderr
    assert '"reviewed_today": 1' in status.stdout


def environment(db: Path, tmpdir: Path | None = None) -> dict:
    env = dict(os.environ, DRILL_DB=str(db))
    if tmpdir is not None:
        tmpdir.mkdir(exist_ok=True)
        env["TMPDIR"] = str(tmpdir)
    return env


def drill(args: list[str], *, db: Path, cwd: Path | None = None,
          tmpdir: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "drill", *args], capture_output=True,
                          text=True, env=environment(db, tmpdir), cwd=cwd, timeout=120)


# -- the database is never an output --------------------------------------------------------


def _link(d: Path, name: str, target: str) -> Path:
    (d / name).symlink_to(d / target)
    return d / name


def _hard(d: Path, name: str, target: str) -> Path:
    os.link(d / target, d / name)
    return d / name


def _dotdot(d: Path, name: str) -> str:
    (d / "sub").mkdir()
    return str(d / "sub" / ".." / name)


def _other_folder(d: Path, name: str) -> str:
    (d.parent / "elsewhere").symlink_to(d, target_is_directory=True)
    return str(d.parent / "elsewhere" / name)


ANKI = ["export", "anki", "--variants", "2", "-o"]
HTML = ["export", "html", "--seed", "3", "-o"]
SEPARATE = ["export", "html", "--seed", "3", "--answers", "separate", "-o"]

# (case, database file name, the command's arguments given the database's folder); every
# command runs in that folder
REFUSALS = [
    ("anki: the path", "study.apkg", lambda d: [*ANKI, str(d / "study.apkg")]),
    ("anki: relative", "study.apkg", lambda d: [*ANKI, "study.apkg"]),
    ("anki: ./ and ..", "study.apkg", lambda d: [*ANKI, _dotdot(d, "study.apkg")]),
    ("anki: relative ..", "study.apkg",
     lambda d: (d / "sub").mkdir() or [*ANKI, "./sub/../study.apkg"]),
    ("anki: symlink", "study.apkg", lambda d: [*ANKI, str(_link(d, "phone.apkg", "study.apkg"))]),
    ("anki: symlinked folder", "study.apkg", lambda d: [*ANKI, _other_folder(d, "study.apkg")]),
    ("anki: hard link", "study.apkg", lambda d: [*ANKI, str(_hard(d, "phone.apkg", "study.apkg"))]),
    ("anki: the -wal file", "study.db",
     lambda d: [*ANKI, str(_link(d, "wal.apkg", "study.db-wal"))]),
    ("anki: the -journal file", "study.db",
     lambda d: [*ANKI, str(_link(d, "journal.apkg", "study.db-journal"))]),
    ("html: the path", "sheet.html", lambda d: [*HTML, str(d / "sheet.html")]),
    ("html: ..", "sheet.html", lambda d: [*HTML, _dotdot(d, "sheet.html")]),
    ("html: symlink", "sheet.html", lambda d: [*HTML, str(_link(d, "print.html", "sheet.html"))]),
    ("html: hard link", "sheet.html", lambda d: [*HTML, str(_hard(d, "print.html", "sheet.html"))]),
    ("html: the -shm file", "study.db",
     lambda d: [*HTML, str(_link(d, "shm.html", "study.db-shm"))]),
    ("html: self-check paper", "sheet.html",
     lambda d: ["export", "html", "--selfcheck", "-o", str(d / "sheet.html")]),
    ("html: separate answer key", "sheet-key.html", lambda d: [*SEPARATE, str(d / "sheet.html")]),
    ("html: separate key, relative", "sheet-key.html", lambda d: [*SEPARATE, "sheet.html"]),
    ("html: separate key by symlink", "study.db",
     lambda d: [*SEPARATE, str(_link(d, "other-key.html", "study.db").with_name("other.html"))]),
    ("html: separate key by hard link", "study.db",
     lambda d: [*SEPARATE, str(_hard(d, "other-key.html", "study.db").with_name("other.html"))]),
    ("html: separate key is the -wal", "study.db",
     lambda d: [*SEPARATE, str(_link(d, "w-key.html", "study.db-wal").with_name("w.html"))]),
]


def _listing(d: Path, db_name: str) -> dict[str, bytes | str]:
    """The folder's entries and what they hold, leaving out what drill itself keeps there
    (its backups and the database's companion files)."""
    shown: dict[str, bytes | str] = {}
    for entry in sorted(d.iterdir()):
        if entry.name == "backups" or entry.name.startswith(db_name + "-"):
            continue
        if entry.is_symlink():
            shown[entry.name] = f"-> {os.readlink(entry)}"
        elif entry.is_dir():
            shown[entry.name] = "folder"
        elif entry.samefile(d / db_name):  # the database, or a hard link to it
            shown[entry.name] = "database"
        else:
            shown[entry.name] = entry.read_bytes()
    return shown


@pytest.mark.parametrize(("db_name", "arguments"), [c[1:] for c in REFUSALS],
                         ids=[c[0] for c in REFUSALS])
def test_an_export_never_writes_over_the_database(tmp_path, db_name, arguments):
    d = tmp_path / "study"
    d.mkdir()
    db = graded_db(d / db_name)
    args = arguments(d)
    before = _listing(d, db_name)

    result = drill(args, db=db, cwd=d, tmpdir=tmp_path / "tmp")

    assert result.returncode == 1, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "database" in lines[0]
    assert_db_intact(db)
    assert _listing(d, db_name) == before  # nothing written: no sheet, no part file


@pytest.mark.parametrize(("db_name", "args", "written"), [
    ("sheet-key.html", [*HTML, "sheet.html"], ["sheet.html"]),  # no key file: no collision
    ("study.apkg", [*ANKI, "phone.apkg"], ["phone.apkg"]),
    ("study.db", [*SEPARATE, "study.html"], ["study.html", "study-key.html"]),
])
def test_an_export_beside_the_database_is_written(tmp_path, db_name, args, written):
    db = graded_db(tmp_path / db_name)
    result = drill(args, db=db, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert all((tmp_path / name).stat().st_size > 0 for name in written)
    assert_db_intact(db)


# -- killed exports -------------------------------------------------------------------------


EXPORTS = {
    # slow enough to be killed anywhere: about half a second and a second
    "anki": (["export", "anki", "--variants", "20", "-o", "{out}/dl.apkg"], ["dl.apkg"]),
    "html": (["export", "html", "--seed", "7", "--sheets", "12", "--answers", "separate",
              "-o", "{out}/sheet.html"], ["sheet.html", "sheet-key.html"]),
}


class Workspace:
    """A database, an output folder and a private temporary folder for one test."""

    def __init__(self, tmp_path: Path, kind: str):
        self.db = graded_db(tmp_path / "drill.db")
        self.out = tmp_path / "out"
        self.out.mkdir()
        self.tmpdir = tmp_path / "tmp"
        self.tmpdir.mkdir()
        args, names = EXPORTS[kind]
        self.args = [a.replace("{out}", str(self.out)) for a in args]
        self.outputs = [self.out / name for name in names]

    def start(self) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "drill", *self.args],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=environment(self.db, self.tmpdir))

    def export(self) -> None:
        done = drill(self.args, db=self.db, tmpdir=self.tmpdir)
        assert done.returncode == 0, done.stderr

    def parts(self) -> list[str]:
        return sorted(p.name for p in self.out.iterdir() if PART.match(p.name))

    def temporary(self) -> list[str]:
        return sorted(p.name for p in self.tmpdir.iterdir())

    def writing(self) -> bool:
        """True while a part file or a drill temporary folder exists."""
        return bool(self.parts()) or any(n.startswith("drill-") for n in self.temporary())


def kill_after(proc: subprocess.Popen, sig: int, delay: float) -> None:
    """Send `sig` `delay` seconds after the start, unless it has ended."""
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(sig)


def kill_while_writing(proc: subprocess.Popen, sig: int, space: Workspace,
                       later: float = 0.0) -> bool:
    """Send `sig` `later` seconds after the export starts writing (a part file or a temporary
    folder exists); False when it ended first."""
    while proc.poll() is None:
        if space.writing():
            time.sleep(later)
            if proc.poll() is not None:
                return False
            proc.send_signal(sig)
            return True
    return False


def assert_complete(path: Path) -> None:
    if path.suffix == ".apkg":
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
            assert sorted(archive.namelist()) == ["collection.anki2", "media"]
    else:
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>")


@pytest.mark.parametrize("kind", sorted(EXPORTS))
@pytest.mark.parametrize("signals", [(signal.SIGKILL,), (signal.SIGTERM, signal.SIGHUP)],
                         ids=["SIGKILL", "SIGTERM+SIGHUP"])
def test_a_killed_export_leaves_a_complete_file_and_no_litter(tmp_path, kind, signals):
    space = Workspace(tmp_path, kind)
    started = time.monotonic()
    space.export()
    took = time.monotonic() - started
    reference = [p.read_bytes() for p in space.outputs]  # the same collection, the same bytes
    for p in space.outputs:
        assert_complete(p)
    rng = random.Random(f"{kind}-{signals}")
    hits = 0
    for attempt in range(KILLS + TARGETED[kind]):
        if attempt >= KILLS and hits >= 3:
            break
        if attempt % 2:  # half of the time there is no previous file to keep
            for p in space.outputs:
                p.unlink(missing_ok=True)
        existed = [p.exists() for p in space.outputs]
        sig = signals[attempt % len(signals)]
        proc = space.start()
        if attempt < KILLS:
            kill_after(proc, sig, rng.uniform(0, took * 1.1))
        else:  # and then just as it writes, until that happened three times
            hits += kill_while_writing(proc, sig, space, later=rng.choice([0, 0.001, 0.003]))
        _, err = proc.communicate(timeout=120)
        code = proc.returncode
        where = f"attempt {attempt}, {signal.Signals(sig).name}, exit {code}: {err.decode()}"

        assert code in (0, -sig, 128 + sig), where
        for p, was, data in zip(space.outputs, existed, reference, strict=True):
            if p.exists():
                assert p.read_bytes() == data, where  # the previous file, or a complete new one
                assert_complete(p)
            else:
                assert not was and code != 0, where
        assert space.temporary() == [], where  # no drill-apkg-* folder, nothing at all
        if sig != signal.SIGKILL:
            assert space.parts() == [], where  # a polite kill cleans up after itself
    if kind == "html":  # an Anki package's part file lives for well under a millisecond
        assert hits, "no kill landed while the export was writing"

    space.export()
    assert space.parts() == []  # what a SIGKILL left went with the next export
    assert space.temporary() == []
    for p, data in zip(space.outputs, reference, strict=True):
        assert p.read_bytes() == data


def _stopped_while_writing(space: Workspace) -> subprocess.Popen:
    """A real export, stopped (alive, SIGSTOP) while its part file exists."""
    for _ in range(50):
        proc = space.start()
        if kill_while_writing(proc, signal.SIGSTOP, space):
            time.sleep(0.05)
            if space.parts():
                return proc
            os.kill(proc.pid, signal.SIGCONT)
        proc.communicate(timeout=120)
    pytest.fail("could not catch an export while it writes")


def test_a_running_exports_part_file_is_left_alone(tmp_path):
    space = Workspace(tmp_path, "html")
    space.export()
    stopped = _stopped_while_writing(space)
    try:
        theirs = space.parts()
        other = drill(["export", "html", "--seed", "1", "-o", str(space.out / "other.html")],
                      db=space.db, tmpdir=space.tmpdir)
        assert other.returncode == 0, other.stderr
        assert space.parts() == theirs  # the stopped export is alive: its file stays
    finally:
        os.kill(stopped.pid, signal.SIGCONT)
    stopped.communicate(timeout=120)
    assert stopped.returncode == 0  # and it finishes as if nothing happened
    assert space.parts() == []
    for p in space.outputs:
        assert_complete(p)


def test_part_files_of_a_killed_export_go_with_the_next_export_and_only_those(tmp_path):
    space = Workspace(tmp_path, "html")
    for _ in range(50):
        proc = space.start()
        kill_while_writing(proc, signal.SIGKILL, space)
        proc.communicate(timeout=120)
        if space.parts():
            break
    else:
        pytest.fail("could not kill an export while it writes")
    left = space.parts()
    named = re.fullmatch(r"\.drill-(\d+)-([0-9a-f]{8})-(.+)", left[0])
    assert named, f"a part file names its writer: {left[0]}"
    pid, host, rest = named.groups()
    assert int(pid) == proc.pid
    elsewhere = f".drill-{pid}-{'0' if host[0] != '0' else '1'}{host[1:]}-{rest}"
    others = [elsewhere,  # another machine's drill (a shared folder): its pid means nothing here
              ".drill-notes.html.part", "sheet.html.part", ".drill-x-y.part", "keep.part"]
    for name in others:
        (space.out / name).write_text("not ours to remove")

    space.export()

    assert set(space.parts()) | {p.name for p in space.out.glob("*.part")} == (
        set(others)), "only the killed export's part files are removed"
