"""Every command's output in an encoding that cannot show every character.

`drill show relu > out.txt` on Windows writes cp1252; PYTHONIOENCODING=ascii or latin-1
narrows it further. Every command must run as it does under UTF-8 (the same exit status, no
traceback), its output must decode in that encoding, and it must be the UTF-8 output with a
? for each character the encoding lacks, whether click or rich printed it (rich draws its
tables with ASCII lines then: the same words, in the same order).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import PINNED_NOW

SUBMISSIONS = Path(__file__).parent / "submissions"
ENCODINGS = ["cp1252", "ascii", "latin-1"]
ANSWERS = """seed = 0
[answers]
forward-pass = "2"
weight-decay = "1"
sigmoid-range = true
chain-rule = false
"""

# (case, arguments, standard input); {ok} and {bad} are a right and a wrong relu
COMMANDS = [
    ("show relu", ["show", "relu"], None),
    ("show forward-pass --seed 3", ["show", "forward-pass", "--seed", "3"], None),
    ("show sigmoid-range", ["show", "sigmoid-range"], None),
    ("show --json", ["show", "weight-decay", "--seed", "3", "--json"], None),
    ("show an unknown item", ["show", "nöpe"], None),
    ("check, right", ["check", "relu", "{ok}", "--seed", "4"], None),
    ("check, wrong", ["check", "relu", "{bad}", "--seed", "4"], None),
    ("check --json, wrong", ["check", "relu", "{bad}", "--seed", "4", "--json"], None),
    ("stats", ["stats"], None),
    ("stats --json", ["stats", "--json"], None),
    ("items", ["items"], None),
    ("items --json", ["items", "--json"], None),
    ("status", ["status"], None),
    ("selfcheck --history", ["selfcheck", "--history"], None),
    ("practice", ["practice", "forward-pass", "--seed", "0"], b"2\n"),
    ("practice, a typo first", ["practice", "forward-pass", "--seed", "3"], b"2,,\n7\n"),
    ("practice, recall", ["practice", "chain-rule", "--seed", "0"], b"\n"),
    ("variants", ["variants", "weight-decay", "--count", "5"], None),
    ("--help", ["--help"], None),
    ("review --help", ["review", "--help"], None),
]


@pytest.fixture(scope="module")
def collection(tmp_path_factory):
    """A database with reviews over a week and a self-check attempt, for stats and history."""
    from drill.collection import open_collection

    folder = tmp_path_factory.mktemp("encoding")
    db = folder / "drill.db"
    collection = open_collection(db)
    try:
        start = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
        for day, (item, quality) in enumerate([("relu", 4), ("softmax", 2), ("relu", 5),
                                                ("mse", 3), ("softmax", 4), ("one-hot", 1)]):
            collection.store.grade(item, quality, when=start + timedelta(days=day))
    finally:
        collection.close()
    answers = folder / "answers.toml"
    answers.write_text(ANSWERS, encoding="utf-8")
    marked = run(["selfcheck", "--answers", str(answers)], db, "utf-8")
    assert marked.returncode == 1, marked.stderr  # 3 of 12: recorded, not a pass
    return db


@pytest.fixture(scope="module")
def under_utf8(collection):
    """A command's run under UTF-8, once for every encoding it is compared with."""
    done: dict[tuple, subprocess.CompletedProcess] = {}

    def get(args: list[str], stdin: bytes | None) -> subprocess.CompletedProcess:
        key = (*args, stdin)
        if key not in done:
            done[key] = run(args, collection, "utf-8", stdin)
        return done[key]

    return get


def run(args: list[str], db: Path, encoding: str, stdin: bytes | None = None,
        command: list[str] | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, DRILL_DB=str(db), PYTHONIOENCODING=encoding, COLUMNS="100",
               DRILL_NOW=PINNED_NOW, TZ="UTC")
    return subprocess.run([*(command or [sys.executable, "-m", "drill"]), *args],
                          input=stdin or b"", capture_output=True, env=env, timeout=120)


def _args(args: list[str]) -> list[str]:
    ok = sorted((SUBMISSIONS / "relu").glob("ok_*.py"))[0]
    bad = sorted((SUBMISSIONS / "relu").glob("bad_*.py"))[0]
    return [a.format(ok=ok, bad=bad) for a in args]


def as_shown_in(text: str, encoding: str) -> str:
    """UTF-8 text as an encoding shows it: ? for what it lacks."""
    return text.encode(encoding, "replace").decode(encoding)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize(("args", "stdin"), [c[1:] for c in COMMANDS], ids=[c[0] for c in COMMANDS])
def test_every_command_runs_in_a_narrow_encoding(collection, under_utf8, args, stdin, encoding):
    args = _args(args)
    utf8 = under_utf8(args, stdin)
    narrow = run(args, collection, encoding, stdin)

    assert b"Traceback" not in utf8.stderr and b"Traceback" not in narrow.stderr, narrow.stderr
    assert narrow.returncode == utf8.returncode, narrow.stderr
    out = narrow.stdout.decode(encoding)  # strict: every byte is the encoding's
    err = narrow.stderr.decode(encoding)
    expected = as_shown_in(utf8.stdout.decode("utf-8"), encoding)
    if args == ["stats"]:  # rich: tables drawn in ASCII
        assert words(out) == words(expected) and words(out)
    else:
        assert out == expected
    assert err == as_shown_in(utf8.stderr.decode("utf-8"), encoding)


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9.]+", text)


def test_the_cases_of_a_check_are_all_listed_in_cp1252(collection):
    result = run(_args(["check", "relu", "{bad}", "--seed", "4"]), collection, "cp1252")
    assert result.returncode == 1
    text = result.stdout.decode("cp1252")
    assert "First failure:" in text and "cases passed" in text


@pytest.mark.parametrize("encoding", ["ascii", "utf-8"])
def test_typed_bytes_that_do_not_decode_are_a_wrong_answer_not_a_crash(collection, encoding):
    result = run(["practice", "forward-pass", "--seed", "0"], collection, encoding,
                 stdin=b"\xff\xfe\n2\n")
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    assert b"Try again" in result.stdout and b"Right" in result.stdout


@pytest.mark.skipif(sys.platform != "linux", reason="file names of arbitrary bytes")
def test_a_file_name_that_is_not_utf8_is_printed_as_it_is(collection, tmp_path):
    name = os.fsdecode(b"\xffsheet.html")  # undecodable bytes stand as surrogates
    result = run(["export", "html", "--seed", "1", "-o", str(tmp_path / name)], collection,
                 "utf-8")
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    assert os.fsencode(str(tmp_path / name)) in result.stdout


@pytest.mark.skipif(shutil.which("drill") is None, reason="no drill console script installed")
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_the_console_script_too(collection, encoding):
    result = run(["show", "forward-pass"], collection, encoding, command=[shutil.which("drill")])
    assert result.returncode == 0, result.stderr
    assert "?" in result.stdout.decode(encoding)  # z₁ and its kin
