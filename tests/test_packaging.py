"""The built wheel: everything under `drill/`, the deck and migrations inside, and it runs."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (found,) = out.glob("drill-*.whl")
    return found


def test_wheel_puts_nothing_generic_at_the_top(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    assert tops == {"drill", next(t for t in tops if t.endswith(".dist-info"))}


def test_wheel_ships_deck_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "drill/data/migrations/001_initial.sql" in names
    assert "drill/decks/dl_foundations/deck.toml" in names
    for folder in ("01-forward-pass", "06-hidden-delta", "12-weight-decay"):
        assert f"drill/decks/dl_foundations/{folder}/item.toml" in names
    assert "drill/decks/dl_foundations/01-forward-pass/variants.py" in names
    assert "drill/decks/dl_foundations/03-softmax/reference.py" in names
    assert "drill/decks/dl_foundations/03-softmax/starter.py" in names
    assert "drill/decks/dl_foundations/03-softmax/cases.py" in names
    assert "drill/decks/dl_foundations/03-softmax/wrong/unstable.py" in names
    assert "drill/decks/README.md" in names
    assert "drill/exporters/__init__.py" in names
    assert "drill/_worker.py" in names


def test_installed_wheel_runs_from_elsewhere(wheel, tmp_path):
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import drill, drill.cli;"
        "assert drill.__file__.startswith(sys.argv[1]), drill.__file__;"
        "import drill.loader; assert str(drill.loader.builtin_folder()).startswith(sys.argv[1]);"
        "sys.argv = ['drill', 'items', '--json']; drill.cli.main()"
    )
    env = dict(os.environ, DRILL_DB=str(tmp_path / "w.db"))
    result = subprocess.run(
        [sys.executable, "-c", code, str(target)], capture_output=True, text=True,
        cwd=tmp_path, env=env, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 12
