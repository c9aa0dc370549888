import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from drill.cli import cli

PINNED_NOW = "2026-11-25T09:00:00+00:00"
ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    """Compile drill's modules once, as installing drill does. Thousands of tests start
    `python -m drill`; where PYTHONDONTWRITEBYTECODE is set, each would otherwise compile drill
    from source again. (Once: in the main process, not in each xdist worker.)"""
    if not hasattr(config, "workerinput"):
        import compileall

        for package in ("drill", "exporters"):
            compileall.compile_dir(ROOT / package, quiet=1)


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Every test gets its own database, its own list of trusted decks, a pinned clock and
    UTC as local time."""
    monkeypatch.setenv("DRILL_DB", str(tmp_path / "drill.db"))
    monkeypatch.setenv("DRILL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("DRILL_NOW", PINNED_NOW)
    monkeypatch.setenv("DRILL_DECK_LOG", str(tmp_path / "deck-output.log"))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    time.tzset()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "drill.db"


@pytest.fixture
def col(tmp_path):
    """A new, empty Anki collection, as on a learner's phone (Anki's own library); closed after
    the test."""
    from anki.collection import Collection

    collection = Collection(str(tmp_path / "phone.anki2"))
    yield collection
    collection.close()


@pytest.fixture(scope="module")
def deck():
    """The built-in deck, loaded once per test module."""
    from drill.loader import load_builtin

    return load_builtin()


@pytest.fixture
def run():
    """Invoke the CLI in-process; returns the click Result."""
    runner = CliRunner()

    def invoke(*args, env=None, input=None):
        return runner.invoke(cli, list(args), env=env, input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def run_json(run):
    def invoke(*args):
        result = run(*args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return invoke


@pytest.fixture
def drill_proc():
    """Run `python -m drill` in a real subprocess with the test's environment."""

    def invoke(*args, env=None, **kwargs):
        full_env = dict(os.environ)
        full_env.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "drill", *args],
            capture_output=True, text=True, env=full_env, timeout=60, **kwargs,
        )

    return invoke


class TracedDeck:
    """A copy of tests/decks/traced: each of its Python files, whenever it runs, appends its
    path to ran.log in the deck folder, so a test can prove what ran and what did not."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.log = folder / "ran.log"
        self.deck_log = Path(os.environ["DRILL_DECK_LOG"])

    def __str__(self) -> str:
        return str(self.folder)

    def ran(self) -> list[str]:
        """The deck's files that ran since the last call, sorted: those run in drill's process
        write ran.log, contained generators print to the deck log (see `isolated`)."""
        lines = []
        for log in (self.log, self.deck_log):
            if log.exists():
                lines += [line.removeprefix("ran: ") for line in log.read_text().splitlines()
                          if not line.startswith("ran: ") or log == self.deck_log]
                log.unlink()
        return sorted(lines)


@pytest.fixture
def traced(tmp_path) -> TracedDeck:
    return TracedDeck(Path(shutil.copytree(Path(__file__).parent / "decks" / "traced",
                                           tmp_path / "traced")))


@pytest.fixture
def trust_list(tmp_path) -> Path:
    """Where this test's list of trusted decks lives (see the isolated fixture)."""
    return tmp_path / "config" / "trusted-decks.json"


@pytest.fixture
def drill_tty():
    """Run `python -m drill` in a pseudo-terminal (a real terminal for prompts); returns the
    pexpect child."""
    from tests.terminal_kit import spawn_drill

    children = []

    def spawn(*args, env=None):
        full_env = {**os.environ, "TERM": "xterm", "NO_COLOR": "1", **(env or {})}
        child = spawn_drill(*args, env=full_env, dimensions=(50, 200))
        children.append(child)
        return child

    yield spawn
    for child in children:
        child.close(force=True)
