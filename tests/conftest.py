import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from drill.cli import cli

PINNED_NOW = "2026-11-25T09:00:00+00:00"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Every test gets its own database, a pinned clock and UTC as local time."""
    monkeypatch.setenv("DRILL_DB", str(tmp_path / "drill.db"))
    monkeypatch.setenv("DRILL_NOW", PINNED_NOW)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    time.tzset()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "drill.db"


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
