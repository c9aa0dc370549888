"""The warm worker of `drill review` (drill/warm.py): the same verdicts as a cold check, every
protection of a cold check in each child, nothing shared between submissions, nothing left
when the review ends, and a cold check whenever the server fails. Real processes, real
signals, real files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from drill import checker, containment, loader, warm
from tests.witnesses import VICTIM_TEXT, witnesses

ROOT = Path(__file__).resolve().parents[1]
SUBMISSIONS = ROOT / "tests" / "submissions"
CODE_ITEMS = {item.id: item for item in loader.load_builtin().items if item.kind == "code"}
CONTAINED = containment.probe()
LINUX_FULL = set(CONTAINED.isolation) >= {"network", "processes", "filesystem", "signals"}

pytestmark = pytest.mark.skipif(not (LINUX_FULL and warm.supported()),
                                reason="the warm worker needs Linux namespaces, Landlock and pidfds")


@pytest.fixture(scope="module")
def shared_server():
    """One warm worker for a whole module, as in a review: submissions follow one another."""
    server = warm.Server()
    yield server
    server.close()


@pytest.fixture
def server():
    """A warm worker of the test's own, for tests that break or end it."""
    server = warm.Server()
    yield server
    server.close()


@pytest.fixture
def tmp_env(tmp_path, monkeypatch):
    """Check folders (and the server's) land in tmp_path/tmp, so the test can see what is left."""
    import tempfile

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    return tmp


def warm_check(server, item_id: str, source, seed: int = 7) -> checker.Report:
    """A check through `server`, which must still be serving afterwards (no cold fallback)."""
    before = server.taken
    report = checker.check_source(CODE_ITEMS[item_id], source, seed, server=server)
    assert server.alive and server.taken == before + 1, "the check did not run warm"
    return report


def cold_check(item_id: str, source, seed: int = 7) -> checker.Report:
    return checker.check_source(CODE_ITEMS[item_id], source, seed)


def processes() -> dict[int, tuple[int, str, str]]:
    """pid -> (parent pid, state, name) of every process this user can see."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_bytes()
            except OSError:
                continue
            name, _, rest = stat.partition(b" (")[2].rpartition(b") ")
            fields = rest.split()
            found[int(entry.name)] = (int(fields[1]), fields[0].decode(), name.decode("utf-8", "replace"))
    return found


def descendants(pid: int) -> set[int]:
    table = processes()
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, (parent, _, _) in table.items() if parent in frontier} - found
        found |= frontier
    return found


def server_processes(server: warm.Server) -> set[int]:
    """The server's processes as drill sees them: `unshare`, the server, and anything below."""
    return {server.proc.pid} | descendants(server.proc.pid)


def wait_until_gone(pids, seconds: float = 5.0) -> set[int]:
    end = time.monotonic() + seconds
    while True:
        alive = set(pids) & set(processes())
        if not alive or time.monotonic() > end:
            return alive
        time.sleep(0.05)


def marked(marker: str) -> list[str]:
    return subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True).stdout.split()


# -- the same verdicts ------------------------------------------------------------------------


def _parity_rows():
    rows = []
    for item_id, item in sorted(CODE_ITEMS.items()):
        rows.append(pytest.param(item_id, item.folder / "reference.py", id=f"{item_id}/reference"))
        rows.append(pytest.param(item_id, None, id=f"{item_id}/starter"))
        for path in sorted((item.folder / "wrong").glob("*.py")):
            rows.append(pytest.param(item_id, path, id=f"{item_id}/wrong/{path.name}"))
        for path in sorted((SUBMISSIONS / item_id).glob("*.py")):
            if path.name.startswith(("ok_", "bad_")):
                rows.append(pytest.param(item_id, path, id=f"{item_id}/{path.name}"))
        for path in sorted((SUBMISSIONS / "_hints" / item_id).glob("*.py")):
            rows.append(pytest.param(item_id, path, id=f"{item_id}/hints/{path.name}"))
    # Broken answers, each stopped by a different limit or ending in a different way.
    for name in ("loop.py", "memory_hog.py", "flood.py", "sys_exit.py", "os_exit.py",
                 "import_crash.py", "syntax_error.py", "binary.bin", "recursion.py", "segfault.py",
                 "returns_none.py", "returns_list.py", "wrong_shape.py", "kills_parent.py",
                 "fork.py", "reads_files.py", "prints_a_lot_but_right.py"):
        rows.append(pytest.param("relu", SUBMISSIONS / "_broken" / name, id=f"broken/{name}"))
    return rows


@pytest.mark.parametrize(("item_id", "path"), _parity_rows())
def test_the_warm_worker_gives_the_report_a_cold_check_gives(shared_server, item_id, path):
    source = CODE_ITEMS[item_id].starter if path is None else path.read_bytes()
    warm_report = warm_check(shared_server, item_id, source)
    cold_report = cold_check(item_id, source)
    assert warm_report == cold_report
    if path is not None and (path.name == "reference.py" or path.name.startswith("ok_")):
        assert warm_report.passed


def test_a_right_answer_passes_warm_over_several_seeds(shared_server):
    for item_id, item in sorted(CODE_ITEMS.items()):
        for seed in (0, 1, 2):
            report = warm_check(shared_server, item_id, (item.folder / "reference.py").read_bytes(), seed)
            assert report.passed, (item_id, seed, report.first_failure)
            assert report.isolation == tuple(CONTAINED.isolation)


PROBE = """\
import os, sys, resource, signal
import numpy as np

def attempt(action):
    try:
        action()
        return "allowed"
    except BaseException as exc:
        return type(exc).__name__

open_fds = [fd for fd in range(64) if attempt(lambda: os.fstat(fd)) == "allowed"]
print("ids", os.getpid(), os.getppid(), os.getuid() == os.geteuid())
print("fds", open_fds)
print("limits", [resource.getrlimit(getattr(resource, name)) for name in
                 ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_CORE", "RLIMIT_NOFILE", "RLIMIT_NPROC")])
print("env", sorted(os.environ), os.environ["HOME"] == os.getcwd() == os.environ["TMPDIR"])
print("signals", [str(signal.getsignal(s)) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP,
                                                      signal.SIGPIPE, signal.SIGXFSZ)])
print("proc", attempt(lambda: os.listdir("/proc")), "status", attempt(lambda: open("/proc/self/status").read()))
import ctypes
header, caps = (ctypes.c_uint32 * 2)(0x20080522, 0), (ctypes.c_uint32 * 6)()
print("capabilities", ctypes.CDLL(None).capget(header, caps), list(caps))
print("no_new_privs", __import__("ctypes").CDLL(None).prctl(39, 0, 0, 0, 0))

def relu(z):
    return np.maximum(z, 0)

def relu_backward(dout, z):
    return dout * (z > 0)
"""


def test_the_child_starts_in_the_state_a_cold_worker_starts_in(shared_server):
    """ids, limits, environment, signal handling, /proc, no_new_privs: as cold; and no
    descriptor of the server's (a cold worker has its progress pipe at another number)."""
    warm_lines = warm_check(shared_server, "relu", PROBE).output.splitlines()
    cold_lines = cold_check("relu", PROBE).output.splitlines()
    assert warm_lines[0] == cold_lines[0] == "ids 2 1 True"
    assert warm_lines[1] == "fds [0, 1, 2, 3]"  # stdin, output, output, progress: nothing else
    assert len(cold_lines[1].split(",")) == 4
    assert warm_lines[2:] == cold_lines[2:]


def test_each_child_has_its_own_random_state(shared_server):
    """A fresh worker's NumPy and random draw their seeds from the system: so does each child."""
    source = ("import random\nimport numpy as np\nprint(np.random.randint(2**31), random.random())\n"
              + (CODE_ITEMS["relu"].folder / "reference.py").read_text())
    draws = [warm_check(shared_server, "relu", source).output.split() for _ in range(3)]
    assert len({numpy_draw for numpy_draw, _ in draws}) == 3
    assert len({python_draw for _, python_draw in draws}) == 3


# -- every protection, in each child ---------------------------------------------------------


def _hostile_rows():
    return [pytest.param(item_id, path, id=f"{item_id}/{path.name}")
            for item_id in sorted(CODE_ITEMS) for path in sorted((SUBMISSIONS / item_id).glob("hostile_*.py"))]


@pytest.mark.parametrize(("item_id", "path"), _hostile_rows())
def test_hostile_code_is_contained_in_the_warm_child(shared_server, item_id, path, tmp_path):
    """The hostile corpus of tests/test_check_corpus.py, through one warm worker in turn: the
    verdict a cold check gives, and nothing outside the check touched, reached or left."""
    outside = tmp_path / "outside"
    outside.mkdir()
    with witnesses(outside, tmp_path, "drillwarm") as w:
        source = w.fill(path)
        before = sorted(p.name for p in outside.iterdir())
        start = time.monotonic()
        warm_report = warm_check(shared_server, item_id, source, seed=7)
        assert time.monotonic() - start < 30
        assert wait_until_gone(int(pid) for pid in marked(w.marker)) == set(), "a process outlived the check"
        cold_report = cold_check(item_id, source, seed=7)
        assert warm_report.passed == cold_report.passed
        assert [c.passed for c in warm_report.cases] == [c.passed for c in cold_report.cases]
        assert w.sentinel.poll() is None, "the sentinel outside the check was killed"
        assert w.secret not in warm_report.output
        assert sorted(p.name for p in outside.iterdir()) == before
        assert (outside / "victim.txt").read_text() == VICTIM_TEXT
        with pytest.raises(BlockingIOError):
            w.tcp.accept()
        with pytest.raises(BlockingIOError):
            w.udp.recvfrom(100)
    assert warm_check(shared_server, "relu", (CODE_ITEMS["relu"].folder / "reference.py").read_bytes()).passed


def test_killing_everything_it_can_see_reaches_neither_drill_nor_the_server(server):
    """os.getppid(), pid 1, -1 and every pid in /proc: the child's own namespace only."""
    source = textwrap.dedent("""\
        import os, signal
        import numpy as np
        def relu(z):
            for pid in (os.getppid(), 1, -1):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            try:
                pids = [int(p) for p in os.listdir('/proc') if p.isdigit()]
            except OSError:
                pids = list(range(2, 400))
            for pid in pids:
                if pid != os.getpid():
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
            return np.maximum(z, 0)
        def relu_backward(dout, z):
            return dout * (z > 0)
        """)
    assert server.settle()
    # `unshare` and the server (the child waiting below it is the one the check takes)
    before = {server.proc.pid} | {pid for pid, (parent, _, _) in processes().items()
                                  if parent == server.proc.pid}
    assert len(before) == 2
    report = warm_check(server, "relu", source)
    assert report.passed, report.first_failure  # every kill missed, so its answer stands
    assert report == cold_check("relu", source)
    assert before <= set(processes()), "the server or its unshare was killed"
    assert warm_check(server, "relu", (CODE_ITEMS["relu"].folder / "reference.py").read_bytes()).passed


RELU = "def relu(z):\n    return np.maximum(z, 0)\ndef relu_backward(dout, z):\n    return dout * (z > 0)\n"


def daemon(marker: str, seconds: int) -> str:
    """Code that leaves a process named `marker` behind, in a session of its own, for
    `seconds`."""
    return textwrap.dedent(f"""\
        import ctypes, os, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                ctypes.CDLL(None).prctl(15, {marker.encode()!r}, 0, 0, 0)
                time.sleep({seconds})
            os._exit(0)
        """)


def test_tampering_with_numpy_and_modules_does_not_reach_the_next_submission(server, tmp_path):
    marker = f"drillwarm{uuid.uuid4().hex[:16]}"
    tamper = textwrap.dedent("""\
        import builtins, os, sys
        import numpy as np
        np.maximum = lambda a, b, *rest, **kw: a
        np.TAMPERED = True
        np.random.seed = lambda *a, **k: None
        sys.modules["json"] = None
        sys.modules["planted"] = sys
        builtins.TAMPERED = True
        os.environ["TAMPERED"] = "1"
        for where in (os.path.dirname(np.__file__), os.path.dirname(os.__file__), "/tmp", ".."):
            try:
                with open(os.path.join(where, "planted.py"), "w") as fh:
                    fh.write("TAMPERED = True")
                print("wrote", where)
            except OSError:
                pass
        """) + daemon(marker, 60) + RELU  # a daemon that would tamper with the next folder
    report = warm_check(server, "relu", tamper)
    assert not report.passed and "wrote" not in report.output
    assert subprocess.run(["pgrep", "-x", marker], capture_output=True).stdout == b""
    probe = textwrap.dedent("""\
        import builtins, os, sys
        import numpy as np
        print("state", hasattr(np, "TAMPERED"), hasattr(builtins, "TAMPERED"), "planted" in sys.modules,
              sys.modules.get("json") is None, "TAMPERED" in os.environ, "submission" in sys.modules)
        try:
            import planted
            print("planted found")
        except ImportError:
            pass
        """) + (CODE_ITEMS["relu"].folder / "reference.py").read_text()
    after = warm_check(server, "relu", probe)
    assert after.passed, after.first_failure
    assert after.output.splitlines() == ["state False False False False False True"]
    assert after == cold_check("relu", probe)


def test_a_submission_sees_nothing_of_the_one_before(server):
    """Its own folder only: the folder of the previous check is gone, and its files with it."""
    first = ("import os\nopen('left.txt', 'w').write(os.getcwd())\n"
             + (CODE_ITEMS["relu"].folder / "reference.py").read_text())
    second = ("import os\nprint(sorted(n for n in os.listdir('.') if not n.startswith('case_')))\n"
              + (CODE_ITEMS["relu"].folder / "reference.py").read_text())
    assert warm_check(server, "relu", first).passed
    report = warm_check(server, "relu", second)
    assert "left.txt" not in report.output and "submission.py" in report.output
    assert report == cold_check("relu", second)


@pytest.mark.parametrize(("name", "words"), [("loop.py", "did not finish within"),
                                         ("memory_hog.py", "memory"),
                                         ("flood.py", "wrote more than")])
def test_limits_stop_the_warm_child_and_the_server_goes_on(server, name, words):
    report = warm_check(server, "relu", (SUBMISSIONS / "_broken" / name).read_bytes())
    assert words in report.first_failure.message
    assert warm_check(server, "relu", (CODE_ITEMS["relu"].folder / "reference.py").read_bytes()).passed


def test_a_daemon_dies_with_its_check_and_the_server_keeps_no_zombie(server):
    marker = f"drillwarm{uuid.uuid4().hex[:16]}"
    source = "import numpy as np\n" + daemon(marker, 600) + RELU
    for _ in range(3):
        assert warm_check(server, "relu", source).passed
        assert subprocess.run(["pgrep", "-x", marker], capture_output=True).stdout == b""
    assert server.settle()
    time.sleep(0.2)
    table = processes()
    below = {pid: table[pid] for pid in descendants(server.proc.pid) if pid in table}
    assert [pid for pid, (_, state, _) in below.items() if state == "Z"] == []
    # Between checks: the server, and the next check's child (its namespace's unshare-like
    # parent, init and the process waiting for `go`), nothing else.
    assert len(below) == 4, below


# -- the server's life -------------------------------------------------------------------------


def test_closing_the_server_leaves_no_process_and_no_folder(tmp_env):
    server = warm.Server()
    assert warm_check(server, "relu", (CODE_ITEMS["relu"].folder / "reference.py").read_bytes()).passed
    assert server.settle()
    pids = server_processes(server)
    assert len(pids) == 5  # unshare, the server, and the next check's child waiting for it
    server.close()
    assert server.proc.returncode is not None  # reaped: no zombie of drill's
    assert wait_until_gone(pids) == set()
    assert list(tmp_env.iterdir()) == []


DRILL_LIKE = """\
import sys, time
from pathlib import Path
from drill import checker, loader, warm
item = next(i for i in loader.load_builtin().items if i.id == "relu")
server = warm.Server()
report = checker.check_source(item, Path(sys.argv[1]).read_bytes(), 1, server=server)
print(server.proc.pid, report.passed, flush=True)
time.sleep(600)
"""


def test_the_server_dies_with_drill_and_the_next_check_sweeps_its_folder(tmp_env, tmp_path):
    script = tmp_path / "drill_like.py"
    script.write_text(DRILL_LIKE)
    reference = CODE_ITEMS["relu"].folder / "reference.py"
    proc = subprocess.Popen([sys.executable, str(script), str(reference)], stdout=subprocess.PIPE,
                            text=True, env=dict(os.environ, TMPDIR=str(tmp_env)))
    unshare_pid, passed = proc.stdout.readline().split()
    assert passed == "True"
    pids = {int(unshare_pid)} | descendants(int(unshare_pid))
    assert len(pids) >= 2
    proc.kill()
    proc.wait()
    assert wait_until_gone(pids) == set()
    # Its own folder and its next check's: both named after the drill that is gone.
    assert {p.name.split("-")[2] for p in tmp_env.iterdir()} == {str(proc.pid)}
    assert cold_check("relu", reference.read_bytes()).passed
    assert list(tmp_env.iterdir()) == []


# -- falling back to a cold check --------------------------------------------------------------


def test_a_killed_server_gives_way_to_a_cold_check_with_the_same_verdict(server):
    wrong = (CODE_ITEMS["relu"].folder / "wrong").glob("*.py").__next__().read_bytes()
    assert server.settle()  # the server is up, and its next child waits
    for pid, (parent, _, _) in processes().items():
        if parent == server.proc.pid:  # the server, below its unshare
            os.kill(pid, signal.SIGKILL)
    report = checker.check_source(CODE_ITEMS["relu"], wrong, 7, server=server)
    assert not server.alive
    assert report == cold_check("relu", wrong)


def _broken_worker(tmp_path, monkeypatch, old: str, new: str) -> None:
    worker = tmp_path / "_worker.py"
    text = containment.WORKER.read_text()
    assert text.count(old) == 1
    worker.write_text(text.replace(old, new))
    monkeypatch.setattr(containment, "WORKER", worker)


@pytest.mark.parametrize(("old", "new"), [
    # the server cannot start at all
    ("def serve(sock_fd: int) -> None:\n", "def serve(sock_fd: int) -> None:\n    os._exit(3)\n"),
    # each child fails to set up its namespaces
    ("        if libc.unshare(flags) != 0:\n", "        if libc.unshare(flags) != 0 or True:\n"),
    # each child ends before it says `ready`
    ("        progress = os.fdopen(3, \"w\", buffering=1)\n", "        os._exit(1)\n"),
], ids=["server exits", "no namespaces", "child ends"])
def test_a_broken_server_gives_way_to_a_cold_check_with_the_same_verdict(tmp_path, monkeypatch, old, new):
    wrong = sorted((CODE_ITEMS["softmax"].folder / "wrong").glob("*.py"))[0].read_bytes()
    reference = (CODE_ITEMS["softmax"].folder / "reference.py").read_bytes()
    expected = [cold_check("softmax", wrong), cold_check("softmax", reference)]
    _broken_worker(tmp_path, monkeypatch, old, new)
    server = warm.Server()
    try:
        got = [checker.check_source(CODE_ITEMS["softmax"], source, 7, server=server)
               for source in (wrong, reference)]
        assert got == expected
        assert not server.alive  # closed after its first failure: the second check ran cold
    finally:
        server.close()


def test_where_a_warm_worker_cannot_be_contained_checks_run_cold(tmp_path, monkeypatch):
    """No util-linux unshare on PATH: no namespaces, so no warm worker either."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    containment.probe.cache_clear()
    try:
        assert not warm.supported()
        with pytest.raises(warm.Unavailable):
            warm.Server()
    finally:
        containment.probe.cache_clear()


# -- in `drill review` -----------------------------------------------------------------------


def _review_with_a_code_card(tmp_env):
    from tests.test_cli_review import Driver

    driver = Driver("--item", "relu", env={"TMPDIR": str(tmp_env)})
    item_id, _, kind = driver.card()
    assert (item_id, kind) == ("relu", 1)
    end = time.monotonic() + 20
    while time.monotonic() < end:
        # `unshare ... _worker.py --serve`, the server below it, and its children once it
        # has NumPy loaded (they carry the server's command line)
        table = processes()
        serving = {pid for pid in descendants(driver.child.pid) if "--serve" in _cmdline(pid)}
        if len(serving) >= 3:  # once the server has forked, so it is more than `unshare`
            unshare = {pid for pid in serving if table.get(pid, (0,))[0] == driver.child.pid}
            server = {pid for pid in serving if table.get(pid, (0,))[0] in unshare}
            return driver, unshare | server | {p for pid in server for p in descendants(pid)}
        time.sleep(0.05)
    pytest.fail("the code card started no warm worker")


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _nothing_left(driver, pids, tmp_env) -> None:
    driver.child.expect(__import__("pexpect").EOF)
    driver.child.close()
    assert wait_until_gone(pids) == set(), "the warm worker outlived the review"
    assert [p for p in tmp_env.iterdir() if p.name.startswith("drill-check-")] == []


def test_a_review_checks_in_its_warm_worker_and_ends_it(db_path, tmp_env):
    driver, pids = _review_with_a_code_card(tmp_env)
    table = processes()
    server = {pid for pid in pids if table.get(pid, (0,))[0] == driver.child.pid}  # its unshare
    server |= {pid for pid in pids if table.get(pid, (0,))[0] in server}
    assert len(server) == 2
    driver.child.send("\r")
    driver.child.expect(r"✓ All \d+ cases passed")
    assert server <= set(processes()), "the check should not have ended the warm worker"
    driver.child.expect(r"Grade 0-5")
    driver.child.send("\r")
    driver.child.expect(r"Reviewed 1 card")
    _nothing_left(driver, pids, tmp_env)
    assert driver.child.exitstatus == 0


@pytest.mark.parametrize("how", ["q", "ctrl-c", signal.SIGHUP, signal.SIGTERM])
def test_the_warm_worker_ends_with_the_review(db_path, tmp_env, how):
    driver, pids = _review_with_a_code_card(tmp_env)
    if how == "q":
        driver.child.send("q")
        driver.child.expect("Stopped. Every grade so far is saved.")
    elif how == "ctrl-c":
        driver.child.send("\x03")
        driver.child.expect("Interrupted.")
    else:
        driver.child.kill(how)
    _nothing_left(driver, pids, tmp_env)


def test_the_warm_worker_dies_when_the_review_is_killed(db_path, tmp_env):
    driver, pids = _review_with_a_code_card(tmp_env)
    driver.child.kill(signal.SIGKILL)
    driver.child.close()
    assert wait_until_gone(pids) == set()
    reference = CODE_ITEMS["relu"].folder / "reference.py"
    assert cold_check("relu", reference.read_bytes()).passed  # and sweeps what it left
    assert list(tmp_env.iterdir()) == []
