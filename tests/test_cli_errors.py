"""Bad input from the command line: one line `Error: ...`, the right exit code, no traceback."""

import sqlite3

import pytest

from drill import migrations


def _future_db(path):
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.latest_version() + 5}")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()


CASES = [
    # (name, setup(tmp_path) -> extra env, args, exit code, words in the message)
    ("malformed DRILL_NOW", lambda t: {"DRILL_NOW": "next tuesday"}, ["status"], 1,
     "DRILL_NOW is not an ISO 8601 time"),
    ("db in a missing folder", lambda t: {"DRILL_DB": str(t / "missing" / "x.db")}, ["status"], 1,
     "does not exist; create it first"),
    ("db is a text file", lambda t: ((t / "notes.db").write_text("my notes\n"), {"DRILL_DB": str(t / "notes.db")})[1],
     ["status"], 1, "is not a drill database"),
    ("db from a newer drill", lambda t: (_future_db(t / "new.db"), {"DRILL_DB": str(t / "new.db")})[1],
     ["items"], 1, "newer drill"),
    ("db is a folder", lambda t: {"DRILL_DB": str(t)}, ["status"], 2, "is a directory"),
    ("unknown item", lambda t: {}, ["show", "backprop"], 1, "there is no item 'backprop'"),
    ("unknown command", lambda t: {}, ["reveiw"], 2, "No such command"),
    ("unknown setting", lambda t: {}, ["config", "colour", "red"], 1, "there is no setting 'colour'"),
    ("deck path missing", lambda t: {}, ["decks", "add", "/no/such/deck"], 1, "is not a folder"),
]


@pytest.mark.parametrize(("name", "setup", "args", "code", "words"), CASES, ids=[c[0] for c in CASES])
def test_errors_are_one_clear_line(drill_proc, tmp_path, name, setup, args, code, words):
    env = setup(tmp_path)
    result = drill_proc(*args, env=env)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert words in result.stderr
    if code == 1:
        assert result.stderr.startswith("Error: ")
        assert result.stderr.count("\n") == 1


def test_version(drill_proc):
    from drill import __version__

    result = drill_proc("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"drill, version {__version__}"


def test_every_command_has_help(drill_proc):
    from drill.cli import cli

    names = list(cli.commands)
    assert {"status", "items", "show", "variants", "decks", "config"} <= set(names)
    for name in names:
        result = drill_proc(name, "--help")
        assert result.returncode == 0, name
        assert "Usage:" in result.stdout


# (a command line, the packages it must not import): quick commands stay quick to start.
LIGHT = [
    pytest.param(["--help"], ["genanki", "jinja2", "numpy", "rich", "sqlite_utils"], id="help"),
    pytest.param(["status"], ["numpy"], id="status"),
]


@pytest.mark.parametrize(("args", "heavy"), LIGHT)
def test_quick_commands_do_not_import_heavy_modules(args, heavy):
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from drill.cli import cli\n"
        f"try:\n    cli({args!r})\nexcept SystemExit:\n    pass\n"
        f"heavy = {set(heavy)!r}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr
