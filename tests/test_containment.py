"""What contains a check: the worker's namespaces and limits, the check folders, and how drill
reads what the worker left. Real `drill check` processes, real signals, real files."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import numpy as np
import pytest

from drill import checker, containment, results

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "decks" / "dl_foundations" / "02-relu" / "reference.py"
CONTAINED = containment.probe()
LINUX_FULL = set(CONTAINED.isolation) >= {"network", "processes", "filesystem", "signals"}


@pytest.fixture
def env(tmp_path):
    """The environment of a `drill check` whose temporary folders land in tmp_path/tmp."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    return dict(os.environ, TMPDIR=str(tmp))


def start_check(submission: Path, env: dict, *extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "drill", "check", "relu", str(submission), *extra],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def marked(marker: str) -> list[str]:
    """Processes named `marker` (a process's own name, which code in a check can set)."""
    found = subprocess.run(["pgrep", "-x", marker], capture_output=True, text=True)
    return found.stdout.split()


def wait_until_gone(marker: str, seconds: float = 3.0) -> list[str]:
    end = time.monotonic() + seconds
    while marked(marker) and time.monotonic() < end:
        time.sleep(0.05)
    return marked(marker)


def daemon_answer(tmp_path: Path, marker: str, body: str) -> Path:
    """A submission that starts a setsid'd daemon named `marker`, then runs `body` in relu."""
    path = tmp_path / "answer.py"
    path.write_text(
        "import ctypes, os, sys, time\n"
        "import numpy as np\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        f"        ctypes.CDLL(None).prctl(15, {marker.encode()!r}, 0, 0, 0)  # PR_SET_NAME\n"
        "        time.sleep(600)\n"
        "    os._exit(0)\n"
        "def relu(z):\n"
        f"    {body}\n"
        "    return np.maximum(z, 0)\n"
        "def relu_backward(dout, z):\n"
        "    return dout * (z > 0)\n"
    )
    return path


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the namespaces are Linux's")
def test_this_linux_machine_offers_every_protection():
    """CI runs on Linux with user namespaces and Landlock; if that changes, the tests below
    would quietly test less, so say so here."""
    assert CONTAINED.isolation == list(containment.PROTECTIONS), CONTAINED


def test_json_reports_the_protections_in_force(drill_proc):
    result = drill_proc("check", "relu", str(REFERENCE), "--json", "--seed", "2")
    data = json.loads(result.stdout)
    assert result.returncode == 0 and data["passed"]
    assert data["isolation"] == CONTAINED.isolation
    assert "ran without" not in result.stdout


def test_without_unshare_the_check_still_runs_and_says_what_is_missing(drill_proc, tmp_path):
    # A PATH holding only the Python in use: no util-linux unshare to be found.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    env = {"PATH": str(bin_dir)}
    as_json = drill_proc("check", "relu", str(REFERENCE), "--json", "--seed", "2", env=env)
    data = json.loads(as_json.stdout)
    assert data["passed"] and "processes" not in data["isolation"] and "network" not in data["isolation"]
    text = drill_proc("check", "relu", str(REFERENCE), "--seed", "2", env=env)
    assert text.returncode == 0
    assert "Note: your code ran without network, processes protections" in " ".join(text.stdout.split())


@pytest.mark.skipif(not LINUX_FULL, reason="needs Linux namespaces and Landlock")
def test_a_daemon_dies_with_the_check(tmp_path, env):
    marker = f"dt{uuid.uuid4().hex[:13]}"
    answer = daemon_answer(tmp_path, marker, "pass")
    proc = start_check(answer, env, "--json", "--seed", "1")
    out, err = proc.communicate(timeout=60)
    assert json.loads(out)["passed"], out + err
    assert wait_until_gone(marker) == []
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.skipif(not LINUX_FULL, reason="needs Linux namespaces and Landlock")
@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM, signal.SIGINT])
def test_closing_the_terminal_or_stopping_drill_mid_check_leaves_nothing(sig, tmp_path, env):
    marker = f"dt{uuid.uuid4().hex[:13]}"
    answer = daemon_answer(tmp_path, marker, "while True: pass")
    proc = start_check(answer, env, "--seed", "1")
    end = time.monotonic() + 20
    while not marked(marker) and time.monotonic() < end:  # the code is running
        time.sleep(0.05)
    assert marked(marker), "the submission never started"
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode != 0
    assert "Traceback" not in err
    assert wait_until_gone(marker) == []
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.skipif(not LINUX_FULL, reason="needs Linux namespaces and Landlock")
def test_killing_drill_kills_the_check_and_the_next_check_sweeps_its_folder(tmp_path, env):
    marker = f"dt{uuid.uuid4().hex[:13]}"
    answer = daemon_answer(tmp_path, marker, "while True: pass")
    proc = start_check(answer, env, "--seed", "1")
    end = time.monotonic() + 20
    while not marked(marker) and time.monotonic() < end:
        time.sleep(0.05)
    assert marked(marker)
    proc.kill()
    proc.communicate(timeout=30)
    assert wait_until_gone(marker) == []
    left = list((tmp_path / "tmp").iterdir())
    assert [p.name.split("-")[2] for p in left] == [str(proc.pid)]  # it had no chance to clean up
    again = start_check(REFERENCE, env, "--json", "--seed", "1")
    out, _ = again.communicate(timeout=60)
    assert json.loads(out)["passed"]
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.skipif(not LINUX_FULL, reason="needs Linux namespaces and Landlock")
def test_code_that_kills_everything_it_can_see_cannot_reach_drill(tmp_path, env):
    answer = tmp_path / "killer.py"
    answer.write_text(
        "import os, signal\nimport numpy as np\n"
        "def relu(z):\n"
        "    for pid in (os.getppid(), 1, -1):\n"
        "        try:\n"
        "            os.kill(pid, signal.SIGKILL)\n"
        "        except OSError:\n"
        "            pass\n"
        "    for entry in os.listdir('/proc'):\n"
        "        if entry.isdigit() and int(entry) != os.getpid():\n"
        "            try:\n"
        "                os.kill(int(entry), signal.SIGKILL)\n"
        "            except OSError:\n"
        "                pass\n"
        "    return np.maximum(z, 0)\n"
        "def relu_backward(dout, z):\n    return dout * (z > 0)\n")
    proc = start_check(answer, env, "--json", "--seed", "1")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode in (0, 1), err
    data = json.loads(out)
    assert data["cases"] and "Traceback" not in err
    assert list((tmp_path / "tmp").iterdir()) == []


def test_sweep_removes_only_folders_of_processes_that_are_gone(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead = tmp_path / f"drill-check-{gone.pid}-abc"
    (dead / "out").mkdir(parents=True)
    (dead / "out" / "c0-0.npy").write_bytes(b"x")
    alive = tmp_path / f"drill-check-{os.getpid()}-def"
    alive.mkdir()
    target = tmp_path / "not-a-check"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    link = tmp_path / f"drill-check-{gone.pid}-link"
    link.symlink_to(target)
    other = tmp_path / "drill-check-notapid"
    other.mkdir()
    assert containment.sweep() == 1
    assert not dead.exists()
    assert alive.exists() and other.exists() and link.is_symlink()
    assert (target / "keep.txt").read_text() == "mine"


# -- reading what the worker left ------------------------------------------------------------


def _npy(path: Path, array) -> Path:
    np.save(path, array, allow_pickle=False)
    return path


def _forged_header(path: Path, shape: tuple) -> Path:
    """An .npy whose header promises far more data than the file holds."""
    header = np.lib.format.header_data_from_array_1_0(np.zeros(1))
    header["shape"] = shape
    with open(path, "wb") as fh:
        np.lib.format.write_array_header_1_0(fh, header)
        fh.write(b"\0" * 8)
    return path


BAD_FILES = [
    ("a FIFO", lambda p: (os.mkfifo(p), p)[1], "not a regular file"),
    ("a symlink to /dev/zero", lambda p: (p.symlink_to("/dev/zero"), p)[1], "cannot be opened"),
    ("a directory", lambda p: (p.mkdir(), p)[1], "not a regular file"),
    ("not an .npy", lambda p: (p.write_bytes(b"PASS\n"), p)[1], "not a valid .npy"),
    ("a pickled object array", lambda p: (np.save(p, np.array([{}], dtype=object)), p)[1], "not a valid .npy|not numbers"),
    ("strings", lambda p: _npy(p, np.array(["a", "b"])), "not numbers"),
    ("a structured dtype", lambda p: _npy(p, np.zeros(2, dtype=[("a", "f8")])), "not numbers"),
    ("complex numbers", lambda p: _npy(p, np.zeros(2, dtype=complex)), "not numbers"),
    ("a header promising 10**12 values", lambda p: _forged_header(p, (10**12,)), "size does not match"),
    ("a truncated array", lambda p: (p.write_bytes(_npy(p, np.arange(10.0)).read_bytes()[:-8]), p)[1],
     "size does not match"),
    ("a file over the size limit", lambda p: (p.write_bytes(b"\0" * (containment.FILE_LIMIT + 1)), p)[1],
     "over"),
]


@pytest.mark.parametrize(("what", "make", "words"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_result_file_that_is_not_plain_numbers_is_refused_quickly(what, make, words, tmp_path):
    path = make(tmp_path / "c0-0.npy")
    start = time.monotonic()
    with pytest.raises(results.Refused) as refused:
        results.read_npy(path)
    assert time.monotonic() - start < 2
    assert any(w in str(refused.value) for w in words.split("|")), refused.value


@pytest.mark.parametrize("array", [np.arange(6.0).reshape(2, 3), np.asfortranarray(np.ones((3, 2))),
                                   np.float64(2.5), np.array([True, False]), np.zeros((0, 4))],
                         ids=["floats", "fortran order", "scalar", "booleans", "empty"])
def test_a_plain_numeric_result_reads_back_exactly(array, tmp_path):
    got = results.read_npy(_npy(tmp_path / "r.npy", array))
    assert got.dtype == np.asarray(array).dtype and got.shape == np.shape(array)
    assert np.array_equal(got, array)


VISIBLE = [
    ("\x1b[2J", "\\x1b[2J"),
    ("\x1b[8mhidden\x1b[0m", "\\x1b[8mhidden\\x1b[0m"),
    ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
    ("17 of 17\rcases", "17 of 17\\x0dcases"),
    ("right\u202eto left", "right\\u202eto left"),
    ("\x9b31m", "\\x9b31m"),
    ("two\nlines\tand a tab, é, 日本", "two\nlines\tand a tab, é, 日本"),
]


@pytest.mark.parametrize(("text", "shown"), VISIBLE)
def test_control_characters_are_written_out_not_obeyed(text, shown):
    assert results.visible(text) == shown


def test_printed_control_sequences_reach_the_terminal_written_out(drill_proc, tmp_path):
    answer = tmp_path / "answer.py"
    answer.write_text(
        "import numpy as np\n"
        "print('\\x1b[2J\\x1b[8m17 of 17 cases passed.\\x1b]0;pwned\\x07')\n"
        "def relu(z):\n    return z\n"
        "def relu_backward(dout, z):\n    raise ValueError('\\x1b[2Jgone')\n")
    result = drill_proc("check", "relu", str(answer), "--seed", "1")
    assert result.returncode == 1
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b[2J\\x1b[8m17 of 17 cases passed." in result.stdout
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith(f"{last.split()[0]} of 17 cases passed.") and not last.startswith("17 of 17")


def test_output_printed_before_a_timeout_is_kept(drill_proc, tmp_path):
    answer = tmp_path / "answer.py"
    answer.write_text(
        "import numpy as np\n"
        "for i in range(11):\n    print('line', i)\n"
        "def relu(z):\n    while True:\n        pass\n"
        "def relu_backward(dout, z):\n    return dout * (z > 0)\n")
    data = json.loads(drill_proc("check", "relu", str(answer), "--json", "--seed", "1").stdout)
    assert not data["passed"]
    assert data["output"].splitlines() == [f"line {i}" for i in range(11)]


@pytest.mark.skipif("filesystem" not in CONTAINED.isolation, reason="needs Landlock")
def test_when_confinement_fails_the_code_does_not_run(tmp_path, monkeypatch):
    """Fail closed: a worker that cannot put Landlock in place runs none of the learner's code."""
    worker = tmp_path / "_worker.py"
    worker.write_text(containment.WORKER.read_text().replace(
        "def landlock(rules: list[tuple[str, int]]) -> None:\n",
        "def landlock(rules: list[tuple[str, int]]) -> None:\n    raise OSError(95, 'no Landlock here')\n", 1))
    monkeypatch.setattr(containment, "WORKER", worker)
    marker = tmp_path / "ran.txt"
    answer = tmp_path / "answer.py"
    answer.write_text(f"open({str(marker)!r}, 'w').write('ran')\n" + REFERENCE.read_text())
    from drill import loader

    item = next(i for i in loader.load_builtin().items if i.id == "relu")
    report = checker.check_file(item, answer, 1)
    assert not report.passed
    assert "could not put its protections in place" in report.cases[0].message
    assert not marker.exists()


def test_what_checked_code_may_read_holds_no_installed_package():
    """A folder Landlock grants grants everything under it: none of them may hold drill, or a
    site-packages (in a virtual environment the standard library's own folder holds one)."""
    import importlib.util
    import site
    import sysconfig

    spec = importlib.util.spec_from_file_location("drill_worker_script", containment.WORKER)
    worker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(worker)
    granted = [Path(p).resolve() for p in worker.readable_paths(np)]
    drill_dir = Path(checker.__file__).resolve().parent
    packages = {Path(p).resolve() for p in [*site.getsitepackages(), sysconfig.get_path("purelib"),
                                            sysconfig.get_path("platlib")] if p and Path(p).exists()}
    assert packages, "no site-packages found to test against"
    numpy_dir = Path(np.__file__).resolve().parent
    assert numpy_dir in granted
    for path in granted:
        assert not drill_dir.is_relative_to(path), f"{path} holds drill's package"
        for folder in packages:
            assert not folder.is_relative_to(path), f"{path} holds {folder}"
