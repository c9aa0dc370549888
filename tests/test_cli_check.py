import json
from pathlib import Path

import pytest

from tests.test_cli_show import assert_wrapped, pty_output

SUBMISSIONS = Path(__file__).parent / "submissions"


@pytest.fixture
def ok_relu():
    found = sorted((SUBMISSIONS / "relu").glob("ok_*.py"))
    assert found
    return found[0]


def test_right_answer_exits_0(drill_proc, ok_relu):
    result = drill_proc("check", "relu", str(ok_relu), "--seed", "4")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✓" in result.stdout and "✗" not in result.stdout
    assert "cases passed." in result.stdout


def test_wrong_answer_exits_1_with_the_failure_and_hint(drill_proc):
    bad = SUBMISSIONS.parent.parent / "decks" / "dl_foundations" / "03-softmax" / "starter.py"
    result = drill_proc("check", "softmax", str(bad), "--seed", "4")
    assert result.returncode == 1
    assert "First failure:" in result.stdout
    assert "Hint: " in result.stdout
    assert "--seed 4" in result.stdout


def test_json_has_the_contract_keys(drill_proc, ok_relu):
    result = drill_proc("check", "relu", str(ok_relu), "--json", "--seed", "9")
    data = json.loads(result.stdout)
    assert data["passed"] is True
    assert data["seed"] == 9
    assert data["cases"] and all(set(c) >= {"name", "passed", "message"} for c in data["cases"])


def test_seed_replays_the_same_cases(drill_proc, ok_relu):
    first = json.loads(drill_proc("check", "relu", str(ok_relu), "--json").stdout)
    again = json.loads(drill_proc("check", "relu", str(ok_relu), "--json", "--seed", str(first["seed"])).stdout)
    assert [c["name"] for c in first["cases"]] == [c["name"] for c in again["cases"]]
    assert first["seed"] == again["seed"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["check", "nope", "__OK__"], "there is no item 'nope'"),
        (["check", "chain-rule", "__OK__"], "chain-rule is a recall item"),
        (["check", "relu", "/no/such/file.py"], "does not exist"),
        (["check", "relu"], "Missing argument 'FILE'"),
        (["check", "relu", "__OK__", "--seed", "-1"], "Invalid value for '--seed'"),
    ],
)
def test_usage_errors_exit_2(drill_proc, ok_relu, args, words):
    args = [str(ok_relu) if a == "__OK__" else a for a in args]
    result = drill_proc(*args)
    assert result.returncode == 2
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_an_endless_loop_is_a_failed_case_not_a_hang(drill_proc):
    result = drill_proc("check", "relu", str(SUBMISSIONS / "_broken" / "loop.py"), "--seed", "0")
    assert result.returncode == 1
    assert "did not finish within" in result.stdout


DECK = Path(__file__).parent.parent / "decks" / "dl_foundations"


def _preformatted(plain: str) -> str:
    """The lines a report shows as they are: the failing call, values, printed output."""
    return "\n".join(line for line in plain.splitlines() if line.startswith("  ")
                     and not line.lstrip().startswith(("✓", "✗")))


@pytest.mark.parametrize("width", [60, 100])
def test_report_wraps_to_columns(drill_proc, width):
    args = ("check", "softmax", "starter.py", "--seed", "4")
    cwd = DECK / "03-softmax"
    plain = drill_proc(*args, env={"COLUMNS": ""}, cwd=cwd).stdout
    assert max(len(line) for line in plain.splitlines()) > 100  # piped: not wrapped
    wrapped = drill_proc(*args, env={"COLUMNS": str(width)}, cwd=cwd)
    assert wrapped.returncode == 1
    assert_wrapped(wrapped.stdout, plain, width, kept=_preformatted(plain))


@pytest.mark.parametrize("width", [60, 100])
def test_report_in_a_terminal_wraps_to_its_width(drill_proc, width):
    args = ("check", "softmax", "starter.py", "--seed", "4")
    cwd = DECK / "03-softmax"
    output, status = pty_output(args, width, cwd=cwd)
    assert status == 1
    plain = drill_proc(*args, env={"COLUMNS": ""}, cwd=cwd).stdout
    assert_wrapped(output, plain, width, kept=_preformatted(plain))
