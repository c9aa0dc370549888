"""`drill check` on the corpus in tests/submissions/, run as the real command.

Every file is checked once per session (the xdist workers share the runs through a lock), by
`python -m drill check ITEM FILE --json --seed N` in a fresh folder with its own HOME, TMPDIR
and DRILL_DB, a planted secret, a victim file, a sentinel process and two listening sockets.
What the run did is recorded (its report, the processes it left, the files it changed, the
connections it made), and each test below asserts one property of those records over the
whole table.

File names carry the expectation: ok_* must pass, bad_* must fail, hostile_* follow the
HOSTILE table. Hostile files are templates: `@@NAME@@` placeholders are filled in per run
(a unique marker, the test runner's pid, the run's folder...) and every hostile action is
confined to the run's folder; left unfilled, they do nothing harmful.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.witnesses import witnesses

SUBMISSIONS = Path(__file__).parent / "submissions"
ITEMS = ("relu", "softmax", "mse", "hidden-delta", "one-hot", "dropout")
SEED = 7
# What `isolation` must list on Linux: every protection the sandbox is meant to have.
PROTECTIONS = {"network", "processes", "filesystem", "signals", "limits"}
GIVE_UP_S = 45.0  # the runner stops waiting for drill here (and kills it)
MOST_SECONDS = 30.0  # a check must end within this, whatever the code does
LEFTOVER_WAIT_S = 2.0  # how long a process the code started may take to disappear
REAL_TMP = ("/tmp", "/var/tmp", "/dev/shm")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but tab and newline


@dataclass(frozen=True)
class Expect:
    verdict: str  # "pass", "fail", or "either" (hostile code whose functions are right)
    no_case_passes: bool = False  # functions that raise: forged or stolen results must not count
    shows: str | None = None  # run for people too; this part of a control sequence must show


# The hostile files, with what a safe, correct checker must make of them.
HOSTILE = {
    "relu/hostile_forge_results.py": Expect("fail", no_case_passes=True),
    "one-hot/hostile_forge_results.py": Expect("fail", no_case_passes=True),
    "dropout/hostile_forge_results.py": Expect("fail", no_case_passes=True),
    "relu/hostile_monkeypatch_numpy.py": Expect("fail"),
    "softmax/hostile_monkeypatch_numpy.py": Expect("fail"),
    "hidden-delta/hostile_monkeypatch_numpy.py": Expect("fail"),
    "relu/hostile_import_drill.py": Expect("fail", no_case_passes=True),
    "softmax/hostile_spec_from_file.py": Expect("fail", no_case_passes=True),
    "mse/hostile_read_reference.py": Expect("fail", no_case_passes=True),
    "one-hot/hostile_import_decks.py": Expect("fail", no_case_passes=True),
    "dropout/hostile_import_loader.py": Expect("fail", no_case_passes=True),
    "relu/hostile_fifo_results.py": Expect("either"),
    "one-hot/hostile_symlink_results.py": Expect("fail", no_case_passes=True),
    "mse/hostile_huge_file.py": Expect("fail", no_case_passes=True),
    "relu/hostile_daemon_execvp.py": Expect("pass"),
    "softmax/hostile_daemon_popen.py": Expect("fail", no_case_passes=True),
    "dropout/hostile_daemon_python.py": Expect("pass"),
    "mse/hostile_fork_loop.py": Expect("fail", no_case_passes=True),
    "one-hot/hostile_fork_loop_python.py": Expect("fail", no_case_passes=True),
    "hidden-delta/hostile_db_tamper.py": Expect("fail", no_case_passes=True),
    "softmax/hostile_db_scan_proc.py": Expect("fail", no_case_passes=True),
    "softmax/hostile_writes_tmp_and_home.py": Expect("either"),
    "dropout/hostile_writes_everywhere.py": Expect("fail", no_case_passes=True),
    "one-hot/hostile_reads_secrets.py": Expect("fail", no_case_passes=True),
    "dropout/hostile_reads_secrets.py": Expect("fail", no_case_passes=True),
    "mse/hostile_network.py": Expect("fail", no_case_passes=True),
    "hidden-delta/hostile_network.py": Expect("fail", no_case_passes=True),
    "hidden-delta/hostile_kills_parents.py": Expect("fail", no_case_passes=True),
    "softmax/hostile_kills_parents.py": Expect("fail", no_case_passes=True),
    "relu/hostile_terminal_escapes.py": Expect("fail", shows="[2J"),
    "softmax/hostile_terminal_escapes.py": Expect("pass", shows="[?1049h"),
}
PROBE = ("relu", SUBMISSIONS / "_broken" / "probe_signals.py")
KILL_ALL = ("relu", SUBMISSIONS / "_broken" / "bad_kill_all.py")


def _expectation(item: str, path: Path) -> Expect | None:
    kind = path.name.split("_", 1)[0]
    if kind == "ok":
        return Expect("pass")
    if kind == "bad":
        return Expect("fail")
    if kind == "hostile":
        return HOSTILE.get(f"{item}/{path.name}", Expect("fail"))
    return None


def _corpus() -> list:
    rows = []
    for item in ITEMS:
        for path in sorted((SUBMISSIONS / item).glob("*.py")):
            expect = _expectation(item, path)
            if expect is not None:
                rows.append(pytest.param(item, path, expect, id=f"{item}/{path.name}"))
    return rows


CORPUS = _corpus()
HOSTILE_ROWS = [row for row in CORPUS if "/hostile_" in row.id]
FOR_PEOPLE = [row for row in CORPUS if row.values[2].shows]


# -- running drill check once per file, shared by the xdist workers -------------------------


@contextlib.contextmanager
def _locked(path: Path):
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class CorpusRuns:
    """One recorded `drill check` run per (item, file), computed by whichever worker asks first."""

    def __init__(self, root: Path, template_db: Path):
        self.root = root
        self.template_db = template_db
        self.seen: dict[str, dict] = {}

    def get(self, item: str, path: Path, people: bool = False) -> dict:
        key = f"{item}__{path.name}"
        if key not in self.seen:
            record_path = self.root / f"{key}.json"
            with _locked(self.root / f"{key}.lock"):
                if not record_path.exists():
                    record = _run(self.root / "runs" / key, self.template_db, item, path, people)
                    partial = record_path.with_suffix(".partial")
                    partial.write_text(json.dumps(record), encoding="utf-8")
                    partial.replace(record_path)
                self.seen[key] = json.loads(record_path.read_text(encoding="utf-8"))
        return self.seen[key]


@pytest.fixture(scope="session")
def corpus_runs(tmp_path_factory) -> CorpusRuns:
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker has its own basetemp; their parent is shared by the session.
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "check-corpus"
    root.mkdir(exist_ok=True)
    template = root / "template" / "drill.db"
    with _locked(root / "template.lock"):
        if not template.exists():
            template.parent.mkdir(exist_ok=True)
            env = dict(os.environ, DRILL_DB=str(template), HOME=str(template.parent))
            made = subprocess.run([sys.executable, "-m", "drill", "status", "--json"], env=env,
                                  capture_output=True, text=True, timeout=60)
            assert made.returncode == 0, made.stderr
    return CorpusRuns(root, template)


def _run(run_dir: Path, template_db: Path, item: str, path: Path, people: bool) -> dict:
    """Check `path` with drill in a fresh folder and record what happened around it."""
    if run_dir.exists():
        shutil.rmtree(run_dir, ignore_errors=True)
    home, tmpdir, db_dir, outside = (run_dir / name for name in ("home", "tmp", "db", "outside"))
    for folder in (home / ".ssh", tmpdir, db_dir, outside):
        folder.mkdir(parents=True)
    db = db_dir / "drill.db"
    shutil.copyfile(template_db, db)
    try:
        with witnesses(outside, run_dir, "drillcorpus") as w:
            secret, marker, tcp, udp = w.secret, w.marker, w.tcp, w.udp
            (home / ".ssh" / "id_ed25519").write_text(
                f"-----BEGIN OPENSSH PRIVATE KEY-----\n{secret}\n-----END OPENSSH PRIVATE KEY-----\n")
            submission = outside / path.name
            submission.write_bytes(w.fill(path))

            real_home = pwd.getpwuid(os.getuid()).pw_dir
            before = {
                "home": _tree(home), "outside": _tree(outside), "db": _digest(db),
                "db_dir": _names(db_dir), "real_tmp": {d: _names(d) for d in REAL_TMP},
            }
            env = dict(os.environ, HOME=str(home), TMPDIR=str(tmpdir), DRILL_DB=str(db))
            args = ["check", item, str(submission), "--json", "--seed", str(SEED)]
            record = _drill(args, env, outside)
            record["people"] = _drill(args[:-3] + args[-2:], env, outside) if people else None

            record["leftovers"] = _leftovers([marker, str(run_dir)])
            record["sentinel_alive"] = w.sentinel.poll() is None
            record["home_changed"] = _changed(before["home"], _tree(home))
            record["outside_changed"] = _changed(before["outside"], _tree(outside))
            record["db_same"] = _digest(db) == before["db"]
            record["db_dir_new"] = sorted(_names(db_dir) - before["db_dir"])
            record["tmpdir_left"] = sorted(n for n in _names(tmpdir)
                                           if n.startswith("drill-check-") or marker in n)
            record["real_tmp_new"] = sorted(
                os.path.join(d, n) for d in REAL_TMP for n in _names(d) - before["real_tmp"][d]
                if marker in n)
            record["real_home_new"] = sorted(os.path.join(real_home, n)
                                             for n in _names(real_home) if marker in n)
            record["tcp_connections"] = _drain_tcp(tcp)
            record["udp_datagrams"] = _drain_udp(udp)
            record["secret"] = secret
            record["marker"] = marker
            for leftover in record["real_tmp_new"] + record["real_home_new"]:  # ours: named with the marker
                _remove(leftover)
            return record
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


def _drill(args: list[str], env: dict, cwd: Path) -> dict:
    """Run `python -m drill ARGS`; never wait more than GIVE_UP_S."""
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "drill", *args], cwd=cwd, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(timeout=GIVE_UP_S)
        gave_up = drill_exited = False
    except subprocess.TimeoutExpired:
        # drill itself may have ended while something it started holds its output open
        drill_exited = proc.poll() is not None
        gave_up = True
        proc.kill()
        proc.wait()
        out, err = b"", b""
    return {
        "returncode": None if gave_up else proc.returncode,
        "gave_up": gave_up,
        "output_held_open": drill_exited,
        "seconds": round(time.monotonic() - start, 2),
        "stdout": out.decode("utf-8", "replace"),
        "stderr": err.decode("utf-8", "replace"),
    }


def _leftovers(patterns: list[str]) -> list[str]:
    """Processes whose command line holds one of `patterns`, after up to LEFTOVER_WAIT_S; killed."""
    deadline = time.monotonic() + LEFTOVER_WAIT_S
    while True:
        found = {}
        for pattern in patterns:
            listing = subprocess.run(["pgrep", "-a", "-f", "--", pattern], capture_output=True, text=True)
            for line in listing.stdout.splitlines():
                pid, _, command = line.partition(" ")
                found[int(pid)] = command
        found.pop(os.getpid(), None)
        if not found or time.monotonic() >= deadline:
            break
        time.sleep(0.1)
    for pid in found:  # each was started by this run: its command line holds the run's marker
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return [f"{pid} {command[:200]}" for pid, command in sorted(found.items())]


def _tree(folder: Path) -> dict:
    """(kind, size, mtime_ns) of the folder and of everything under it, links not followed."""
    def entry(path: str) -> tuple:
        st = os.lstat(path)
        return (st.st_mode >> 12, st.st_size, st.st_mtime_ns)

    tree = {".": entry(str(folder))}
    for parent, dirs, files in os.walk(folder):
        for name in dirs + files:
            full = os.path.join(parent, name)
            with contextlib.suppress(OSError):
                tree[os.path.relpath(full, folder)] = entry(full)
    return tree


def _changed(before: dict, after: dict) -> list[str]:
    return sorted(
        [f"new {p}" for p in after.keys() - before.keys()]
        + [f"gone {p}" for p in before.keys() - after.keys()]
        + [f"changed {p}" for p in before.keys() & after.keys() if before[p] != after[p]])


def _names(folder) -> set:
    try:
        return set(os.listdir(folder))
    except OSError:
        return set()


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return f"unreadable: {exc}"


def _drain_tcp(listener: socket.socket) -> int:
    count = 0
    while True:
        try:
            conn, _ = listener.accept()
        except (BlockingIOError, InterruptedError):
            return count
        conn.close()
        count += 1


def _drain_udp(receiver: socket.socket) -> int:
    count = 0
    while True:
        try:
            receiver.recvfrom(65536)
        except (BlockingIOError, InterruptedError):
            return count
        count += 1


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.unlink(path)


# -- reading a record ----------------------------------------------------------------------


def _report(run: dict) -> dict:
    """The JSON report of a run that ended the way drill promises: exit 0 or 1, JSON out."""
    assert not run["gave_up"], (
        f"gave up after {GIVE_UP_S:g} s: "
        + ("drill ended, but a process it started still holds its output open"
           if run["output_held_open"] else "drill check never ended"))
    assert run["returncode"] in (0, 1), (
        f"exit status {run['returncode']}; stderr ends: {run['stderr'][-1500:]!r}")
    try:
        report = json.loads(run["stdout"])
    except ValueError:
        pytest.fail(f"stdout is not one JSON document: {run['stdout'][:500]!r}")
    assert isinstance(report, dict), report
    return report


def _first_failure(report: dict) -> str:
    failed = [c for c in report.get("cases", []) if not c.get("passed")]
    return f"{failed[0]['name']}: {failed[0]['message']}" if failed else "every case passed"


def _run_of(corpus_runs: CorpusRuns, item: str, path: Path, expect: Expect) -> dict:
    return corpus_runs.get(item, path, people=bool(expect.shows))


# -- the properties ------------------------------------------------------------------------


@pytest.mark.parametrize(("item", "path", "expect"), CORPUS)
def test_verdict_is_right(corpus_runs, item, path, expect):
    report = _report(_run_of(corpus_runs, item, path, expect))
    if expect.verdict != "either":
        assert report.get("passed") is (expect.verdict == "pass"), _first_failure(report)
    if report.get("passed") is False:
        message = next(c["message"] for c in report["cases"] if not c["passed"])
        assert message and "\n" not in message, f"the first failure needs a one-line message: {message!r}"
    if expect.no_case_passes:
        passed = [c["name"] for c in report["cases"] if c.get("passed")]
        assert not passed, f"functions that raise passed cases: {passed}; output: {report.get('output', '')[:300]!r}"


@pytest.mark.parametrize(("item", "path", "expect"), CORPUS)
def test_report_keeps_the_json_contract(corpus_runs, item, path, expect):
    run = _run_of(corpus_runs, item, path, expect)
    report = _report(run)
    assert {"passed", "cases", "seed", "hint", "output", "output_truncated", "isolation"} <= report.keys()
    assert isinstance(report["passed"], bool)
    assert report["seed"] == SEED
    assert report["hint"] is None or isinstance(report["hint"], str)
    assert isinstance(report["output"], str)
    assert isinstance(report["output_truncated"], bool)
    assert isinstance(report["isolation"], list) and all(isinstance(n, str) for n in report["isolation"])
    cases = report["cases"]
    assert isinstance(cases, list) and cases
    for case in cases:
        assert {"name", "passed", "message"} <= case.keys()
        assert isinstance(case["name"], str) and isinstance(case["passed"], bool)
        assert isinstance(case["message"], str)
    assert report["passed"] is all(case["passed"] for case in cases)
    assert run["returncode"] == (0 if report["passed"] else 1)


@pytest.mark.parametrize(("item", "path", "expect"), CORPUS)
def test_isolation_lists_every_protection(corpus_runs, item, path, expect):
    report = _report(_run_of(corpus_runs, item, path, expect))
    missing = PROTECTIONS - set(report.get("isolation") or [])
    assert not missing, f"not active: {sorted(missing)}; isolation = {report.get('isolation')}"


@pytest.mark.parametrize(("item", "path", "expect"), CORPUS)
def test_no_traceback_on_stderr(corpus_runs, item, path, expect):
    run = _run_of(corpus_runs, item, path, expect)
    for each in (run, run["people"] or {}):
        assert "Traceback" not in each.get("stderr", ""), each["stderr"][-2000:]


@pytest.mark.parametrize(("item", "path", "expect"), CORPUS)
def test_check_ends_in_time(corpus_runs, item, path, expect):
    run = _run_of(corpus_runs, item, path, expect)
    assert not run["gave_up"], "drill ended, output held open" if run["output_held_open"] else "never ended"
    assert run["seconds"] < MOST_SECONDS


@pytest.mark.parametrize(("item", "path", "expect"), CORPUS)
def test_no_process_outlives_the_check(corpus_runs, item, path, expect):
    run = _run_of(corpus_runs, item, path, expect)
    assert run["leftovers"] == [], f"still running {LEFTOVER_WAIT_S:g} s after drill ended"
    assert run["sentinel_alive"], "a process outside the check (the test's sentinel) was killed"


@pytest.mark.parametrize(("item", "path", "expect"), CORPUS)
def test_nothing_outside_the_check_folder_changes(corpus_runs, item, path, expect):
    run = _run_of(corpus_runs, item, path, expect)
    assert run["home_changed"] == [], "HOME"
    assert run["outside_changed"] == [], "the folder drill ran in (secret, victim, the submission)"
    assert run["db_same"], "the database's bytes changed"
    assert run["db_dir_new"] == [], "new files next to the database"
    assert run["tmpdir_left"] == [], "left in TMPDIR after drill ended"
    assert run["real_tmp_new"] == [], "written to the machine's temporary folders"
    assert run["real_home_new"] == [], "written to the user's real home"


@pytest.mark.parametrize(("item", "path", "expect"), CORPUS)
def test_no_secret_comes_back(corpus_runs, item, path, expect):
    run = _run_of(corpus_runs, item, path, expect)
    for each in (run, run["people"] or {}):
        for stream in ("stdout", "stderr"):
            assert run["secret"] not in each.get(stream, ""), f"the planted secret is in {stream}"


@pytest.mark.parametrize(("item", "path", "expect"), CORPUS)
def test_no_connection_reaches_the_test(corpus_runs, item, path, expect):
    run = _run_of(corpus_runs, item, path, expect)
    assert run["tcp_connections"] == 0
    assert run["udp_datagrams"] == 0


@pytest.mark.parametrize(("item", "path", "expect"), CORPUS)
def test_printed_output_has_no_raw_control_characters(corpus_runs, item, path, expect):
    report = _report(_run_of(corpus_runs, item, path, expect))
    raw = sorted({repr(ch) for ch in CONTROL.findall(report.get("output", ""))})
    assert not raw, f"raw control characters in `output`: {raw}"
    if expect.shows:
        assert expect.shows in report["output"], "the control sequence should show, escaped"


@pytest.mark.parametrize(("item", "path", "expect"), FOR_PEOPLE)
def test_people_see_sequences_escaped_and_the_real_count(corpus_runs, item, path, expect):
    run = _run_of(corpus_runs, item, path, expect)
    report = _report(run)
    people = run["people"]
    assert not people["gave_up"] and people["returncode"] == run["returncode"], people["stderr"][-1500:]
    text = people["stdout"]
    raw = sorted({repr(ch) for ch in CONTROL.findall(text)})
    assert not raw, f"raw control characters reach the terminal: {raw}"
    assert expect.shows in text, "the control sequence should show, escaped"
    passed = sum(case["passed"] for case in report["cases"])
    total = len(report["cases"])
    summaries = [line for line in text.splitlines() if re.match(r"\d+ of \d+ cases passed", line)]
    assert summaries and summaries[-1].startswith(f"{passed} of {total} cases passed"), summaries
    assert len(summaries) == 1, f"a line the code printed passes for drill's own summary: {summaries}"


def test_every_hostile_file_has_an_expectation():
    on_disk = {f"{item}/{p.name}" for item in ITEMS for p in (SUBMISSIONS / item).glob("hostile_*.py")}
    assert on_disk == set(HOSTILE)


@pytest.mark.parametrize("item", ITEMS)
def test_every_item_has_each_class(item):
    names = [p.name for p in (SUBMISSIONS / item).glob("*.py")]
    for prefix, least in (("ok_", 8), ("bad_", 5), ("hostile_", 3)):
        assert sum(n.startswith(prefix) for n in names) >= least, prefix


def test_kill_all_is_contained_or_visibly_not_run(corpus_runs):
    """os.kill(-1, SIGKILL) from the code, run only when a harmless probe shows containment.

    Uncontained, as root, it would kill every process on the machine. So it runs only when the
    probe's check lists "processes" and "signals" in `isolation` AND the probe's code could
    signal neither this test runner nor a sentinel process (signal 0 delivers nothing); the
    file re-checks the same at the moment it strikes. Otherwise the test is skipped with a
    reason that says it is not a pass.
    """
    probe = corpus_runs.get(*PROBE)
    reasons = []
    try:
        report = _report(probe)
    except (AssertionError, pytest.fail.Exception) as exc:
        report = {}
        reasons.append(f"the probe check itself went wrong ({str(exc).splitlines()[0]})")
    missing = {"processes", "signals"} - set(report.get("isolation") or [])
    if missing:
        reasons.append(f"`isolation` lacks {sorted(missing)}")
    found = re.search(r"PROBE test_runner=(\w+) sentinel=(\w+)", report.get("output", ""))
    if not found:
        reasons.append("the probe's PROBE line is not in `output`")
    elif not {found[1], found[2]} <= {"invisible", "denied"}:
        reasons.append(f"the probe's code could signal outside the sandbox ({found[0]})")
    if reasons:
        pytest.skip("NOT RUN, NOT A PASS: bad_kill_all.py was not run because "
                    + "; ".join(reasons))

    run = corpus_runs.get(*KILL_ALL)
    report = _report(run)
    assert report["passed"] is False, _first_failure(report)
    assert "UNCONTAINED" not in report["output"], "the code found it could reach outside; it struck nothing"
    assert run["sentinel_alive"], "os.kill(-1, SIGKILL) reached the test's sentinel"
    assert run["leftovers"] == []
    assert run["home_changed"] == [] and run["outside_changed"] == [] and run["db_same"]
    assert run["tmpdir_left"] == []
