import json
import re
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime

import pexpect
import pytest

from drill.store import Store
from tests.test_loader import _replace, write_deck


@pytest.fixture
def added_deck(run, tmp_path):
    """The small deck 'mine' (see tests/test_loader.write_deck), added; its folder."""
    deck = write_deck(tmp_path)
    added = run("decks", "add", str(deck), "--yes")
    assert added.exit_code == 0, added.output
    return deck


@pytest.fixture
def graded_double(added_deck, db_path):
    """'mine' added and its item 'double' graded 5 once; the card as that grade left it."""
    with Store.open(db_path) as store:
        store.grade("double", 5, when=datetime(2026, 11, 25, 9, tzinfo=UTC))
        return store.card("double")


def test_decks_lists_the_builtin_deck(run):
    result = run("decks")
    assert result.exit_code == 0
    assert "dl_foundations  12 items" in result.output
    assert "built-in" in result.output


def test_add_a_deck_then_use_its_items(run, run_json, tmp_path):
    deck = write_deck(tmp_path)
    result = run("decks", "add", str(deck), "--yes")
    assert result.exit_code == 0, result.output
    assert "Added deck 'mine'" in result.output
    ids = [r["id"] for r in run_json("items", "--json")]
    assert ids[-2:] == ["double", "square"] or {"double", "square"} <= set(ids)
    assert run_json("status", "--json")["items"] == 14
    shown = run_json("show", "double", "--json")
    assert shown["answer"] == 6
    assert "mine" in run("decks").output


def test_adding_a_broken_deck_changes_nothing(run, run_json, tmp_path):
    deck = write_deck(tmp_path)
    _replace(deck / "01-double/item.toml", '"numeric"', '"essay"')
    result = run("decks", "add", str(deck), "--yes")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {deck / '01-double/item.toml'}:2: unknown kind 'essay'")
    assert result.output.count("\n") == 1
    assert run_json("status", "--json")["items"] == 12


def test_adding_a_deck_whose_code_fails_is_refused(run, run_json, tmp_path):
    deck = write_deck(tmp_path)
    (deck / "02-square/reference.py").write_text(
        "def square(x):\n    return x + x\n\nEXAMPLES = [('square', (3,), 9)]\n"
    )
    result = run("decks", "add", str(deck), "--yes")
    assert result.exit_code == 1
    assert "gave 6, expected 9" in result.output
    assert run_json("status", "--json")["items"] == 12


def test_a_clashing_id_is_refused(run, tmp_path):
    deck = write_deck(tmp_path)
    _replace(deck / "01-double/item.toml", 'id = "double"', 'id = "relu"')
    result = run("decks", "add", str(deck), "--yes")
    assert result.exit_code == 1
    assert "the id 'relu' is already used by the deck 'dl_foundations'" in result.output


def test_editing_an_item_keeps_its_schedule_and_history(run_json, added_deck, graded_double, db_path):
    deck, before = added_deck, graded_double
    _replace(deck / "01-double/item.toml", "Two threes make six.", "Three plus three is six.")
    shown = run_json("show", "double", "--json")
    assert "Three plus three" in shown["solution"]
    with Store.open(db_path) as store:
        assert store.card("double") == before
        assert store.conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 1


def test_removing_an_item_folder_retires_it_and_keeps_history(run, run_json, added_deck, graded_double, db_path):
    shutil.rmtree(added_deck / "01-double")
    ids = [r["id"] for r in run_json("items", "--json")]
    assert "double" not in ids and "square" in ids
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT retired_at IS NOT NULL FROM items WHERE id = 'double'").fetchone() == (1,)
    assert conn.execute("SELECT COUNT(*) FROM reviews WHERE item_id = 'double'").fetchone() == (1,)
    result = run("show", "double")
    assert result.exit_code == 1 and "there is no item 'double'" in result.output


def test_remove_a_deck(run, run_json, added_deck):
    result = run("decks", "remove", "mine")
    assert result.exit_code == 0
    assert "2 items retired" in result.output
    assert run_json("status", "--json")["items"] == 12
    assert run("decks", "remove", "mine").exit_code == 1
    assert run("decks", "remove", "dl_foundations").exit_code == 1


def test_a_deck_folder_that_vanished_gets_a_clear_error(run, added_deck):
    shutil.rmtree(added_deck)
    result = run("status")
    assert result.exit_code == 0  # the rest of the collection still works
    assert "Warning: the deck 'mine' was added from" in result.stderr
    assert "which is gone; put it back or run `drill decks remove mine`" in result.stderr
    assert result.stdout.startswith("0 due, 12 new")
    removed = run("decks", "remove", "mine")
    assert removed.exit_code == 0, removed.output
    assert "Warning" not in run("status").stderr


def test_a_deck_broken_after_adding_does_not_lock_the_collection(run, added_deck):
    _replace(added_deck / "01-double/item.toml", '"numeric"', '"essay"')
    result = run("items")
    assert result.exit_code == 0
    assert "unknown kind 'essay'" in result.stderr and "drill decks remove mine" in result.stderr
    assert "relu" in result.stdout


def test_check_lists_every_problem(run, tmp_path):
    assert run("decks", "check").output == "No problems found.\n"
    deck = write_deck(tmp_path)
    _replace(deck / "01-double/item.toml", '"numeric"', '"essay"')
    (deck / "02-square/starter.py").unlink()
    result = run("decks", "check", str(deck))
    assert result.exit_code == 1
    assert "unknown kind 'essay'" in result.output
    assert "needs a starter.py" in result.output


def test_sync_is_idempotent(run_json, db_path):
    run_json("status", "--json")
    conn = sqlite3.connect(db_path)
    before = conn.execute("SELECT id, changed_at, content_hash FROM items ORDER BY id").fetchall()
    run_json("status", "--json")
    assert conn.execute("SELECT id, changed_at, content_hash FROM items ORDER BY id").fetchall() == before


def test_deck_option_selects_one_deck(run, run_json, added_deck):
    assert [r["id"] for r in run_json("items", "--deck", "mine", "--json")] == ["double", "square"]
    assert run_json("status", "--deck", "mine", "--json")["items"] == 2
    assert run_json("status", "--deck", "dl_foundations", "--json")["items"] == 12
    assert [r["id"] for r in run_json("items", "--json")][:1] == ["forward-pass"]
    result = run("items", "--deck", "nope")
    assert result.exit_code == 1 and "there is no deck 'nope'" in result.output


def test_a_fixed_deck_comes_back_with_its_schedule(run_json, added_deck, graded_double, db_path):
    deck, before = added_deck, graded_double
    _replace(deck / "01-double/item.toml", '"numeric"', '"essay"')
    assert "double" not in [r["id"] for r in run_json("items", "--json")]
    _replace(deck / "01-double/item.toml", '"essay"', '"numeric"')
    assert "double" in [r["id"] for r in run_json("items", "--json")]
    with Store.open(db_path) as store:
        assert store.card("double") == before


# -- deck code runs only with the learner's consent -------------------------------------------
#
# The traced deck (tests/decks/traced) appends the name of each of its Python files to ran.log
# whenever that file runs, so these tests see exactly what ran.

ADD_QUESTION = r"Run this deck's code and add it\? \[y/N\]"
ALL_CODE = ["01-double/variants.py", "02-square/reference.py"]  # what adding runs


def _bytes(path):
    return path.read_bytes() if path.exists() else None


def _finish(child):
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def _quiet(drill_proc, *args, env=None):
    """drill in a real process, no terminal on stdin."""
    return drill_proc(*args, env=env, stdin=subprocess.DEVNULL)


def test_add_shows_the_code_and_no_changes_nothing(drill_tty, drill_proc, traced, db_path, trust_list):
    assert _quiet(drill_proc, "status").returncode == 0
    before = _bytes(db_path)
    child = drill_tty("decks", "add", str(traced))
    child.expect(ADD_QUESTION)
    shown = child.before
    for path in ["01-double/variants.py", "02-square/cases.py", "02-square/reference.py",
                 "02-square/starter.py", "02-square/wrong/doubles.py"]:
        size = (traced.folder / path).stat().st_size
        assert re.search(rf"{re.escape(path)} +{size:,} bytes", shown), shown
    assert re.search(r"SHA-256 of its code: [0-9a-f]{64} \(5 Python files\)", shown)
    child.sendline("n")
    assert _finish(child) == 1
    assert "Not added: its code was not run and nothing was changed." in child.before
    assert traced.ran() == []
    assert _bytes(db_path) == before
    assert not trust_list.exists()
    assert "traced" not in _quiet(drill_proc, "decks").stdout


def test_add_yes_at_the_prompt_runs_and_trusts(drill_tty, drill_proc, traced, trust_list):
    child = drill_tty("decks", "add", str(traced))
    child.expect(ADD_QUESTION)
    child.sendline("y")
    assert _finish(child) == 0
    assert "Added deck 'traced'" in child.before
    assert sorted(set(traced.ran())) == ALL_CODE
    assert str(traced.folder) in trust_list.read_text()
    shown = _quiet(drill_proc, "show", "double", "--seed", "4", "--json")
    assert shown.returncode == 0 and json.loads(shown.stdout)["answer"] == 14
    assert traced.ran() == ["01-double/variants.py"]


def test_add_with_yes_needs_no_terminal(drill_proc, traced, trust_list):
    result = _quiet(drill_proc, "decks", "add", str(traced), "--yes")
    assert result.returncode == 0, result.stderr
    assert "02-square/wrong/doubles.py" in result.stdout  # what ran is still listed
    assert sorted(set(traced.ran())) == ALL_CODE
    assert trust_list.exists()


def test_add_without_a_terminal_asks_for_yes(drill_proc, traced, db_path, trust_list):
    _quiet(drill_proc, "status")
    before = _bytes(db_path)
    result = _quiet(drill_proc, "decks", "add", str(traced))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: drill asks before it runs a deck's code") and "--yes" in result.stderr
    assert traced.ran() == [] and _bytes(db_path) == before and not trust_list.exists()


def test_a_broken_deck_is_refused_before_asking(drill_proc, traced):
    (traced.folder / "02-square/cases.py").write_text("def cases(seed)\n    return []\n")
    result = _quiet(drill_proc, "decks", "add", str(traced))
    assert result.returncode == 1
    assert f"{traced.folder / '02-square/cases.py'}:1: Python syntax error" in result.stderr
    assert "Run this deck's code" not in result.stdout and traced.ran() == []


def test_a_deck_without_code_is_added_without_asking(drill_proc, tmp_path):
    deck = write_deck(tmp_path)
    shutil.rmtree(deck / "02-square")
    result = _quiet(drill_proc, "decks", "add", str(deck))
    assert result.returncode == 0, result.stderr
    assert "Added deck 'mine'" in result.stdout


# (how the code is edited after adding, the word `decks trust` shows, the file it names)
EDITS = [
    ("a generator edited", lambda d: (d / "01-double/variants.py").write_text(
        (d / "01-double/variants.py").read_text() + "\n# edited\n"), "changed", "01-double/variants.py"),
    ("a wrong version added", lambda d: (d / "02-square/wrong/triples.py").write_text(
        "HINT = 'x'\n\ndef square(x):\n    return 3 * x\n"), "added", "02-square/wrong/triples.py"),
    ("the cases removed", lambda d: (d / "02-square/cases.py").unlink(), "removed", "02-square/cases.py"),
    ("a helper in a hidden folder", lambda d: ((d / ".lib").mkdir(), (d / ".lib/util.py").write_text("X = 1\n")),
     "added", ".lib/util.py"),
]


@pytest.mark.parametrize(("edit", "word", "path"), [e[1:] for e in EDITS], ids=[e[0] for e in EDITS])
def test_edited_code_waits_for_decks_trust(drill_proc, drill_tty, traced, edit, word, path):
    assert _quiet(drill_proc, "decks", "add", str(traced), "--yes").returncode == 0
    traced.ran()
    edit(traced.folder)
    status = _quiet(drill_proc, "status")
    assert status.returncode == 0 and status.stdout.startswith("0 due, 12 new")
    assert status.stderr == (
        f"Warning: deck 'traced' at {traced.folder} was left out: its code changed since you "
        f"trusted it; run `drill decks trust traced` (or `drill decks add {traced.folder}`) to "
        f"review the change\n")
    shown = _quiet(drill_proc, "show", "double", "--seed", "3")
    assert shown.returncode == 1 and "there is no item 'double'" in shown.stderr
    assert traced.ran() == []

    child = drill_tty("decks", "trust", "traced")
    child.expect(r"Run this deck's code and trust it\? \[y/N\]")
    assert re.search(rf"{word} +{re.escape(path)}", child.before), child.before
    assert "changed since you trusted it" in child.before and "Warning" not in child.before
    child.sendline("y")
    assert _finish(child) == 0 and "Trusted deck 'traced'" in child.before
    assert traced.ran()
    again = _quiet(drill_proc, "show", "double", "--seed", "3", "--json")
    assert again.returncode == 0 and again.stderr == "" and json.loads(again.stdout)["answer"] == 12


def test_trust_answered_no_keeps_the_deck_out(drill_proc, drill_tty, traced, trust_list):
    _quiet(drill_proc, "decks", "add", str(traced), "--yes")
    traced.ran()
    before = trust_list.read_bytes()
    (traced.folder / "01-double/variants.py").write_text(
        "raise SystemExit('not me')\n\n\ndef generate(seed):\n    return {}\n")
    child = drill_tty("decks", "trust", "traced")
    child.expect(r"\[y/N\]")
    child.sendline("n")
    assert _finish(child) == 1
    assert trust_list.read_bytes() == before and traced.ran() == []
    assert "left out" in _quiet(drill_proc, "status").stderr


def test_trust_of_an_unchanged_deck_has_nothing_to_review(drill_proc, traced):
    _quiet(drill_proc, "decks", "add", str(traced), "--yes")
    result = _quiet(drill_proc, "decks", "trust", "traced")
    assert result.returncode == 0 and "nothing to review" in result.stdout


def test_trust_without_a_name_lists_the_trusted_folders(drill_proc, traced, trust_list):
    assert str(trust_list) in _quiet(drill_proc, "decks", "trust").stdout
    _quiet(drill_proc, "decks", "add", str(traced), "--yes")
    listed = _quiet(drill_proc, "decks", "trust").stdout
    assert str(traced.folder) in listed and "5 Python files" in listed


def _added_by_someone_else(drill_proc, traced, tmp_path):
    """A database with the traced deck added under another user's trust list; returns the
    environment of a learner who never trusted it."""
    other = {"DRILL_CONFIG_DIR": str(tmp_path / "someone-else")}
    assert _quiet(drill_proc, "decks", "add", str(traced), "--yes", env=other).returncode == 0
    assert traced.ran()
    return {"DRILL_CONFIG_DIR": str(tmp_path / "me")}


UNTRUSTED = ("was not trusted by you (it came with this database), so its code was not run; "
             "run `drill decks add ")


@pytest.mark.parametrize("argv", [["status"], ["items"], ["show", "double", "--seed", "2"],
                                  ["export", "html", "-o", "{tmp}/sheet.html"], ["decks"]])
def test_another_database_never_runs_its_decks_code(drill_proc, traced, tmp_path, argv):
    me = _added_by_someone_else(drill_proc, traced, tmp_path)
    result = _quiet(drill_proc, *[a.format(tmp=tmp_path) for a in argv], env=me)
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning")]
    assert warnings == [f"Warning: deck 'traced' at {traced.folder} {UNTRUSTED}{traced.folder}` "
                        f"to review its code and trust it"]
    assert traced.ran() == []
    assert "double" not in result.stdout


def test_other_db_option_never_runs_its_decks_code(drill_proc, traced, tmp_path):
    shared = tmp_path / "shared.db"
    other = {"DRILL_CONFIG_DIR": str(tmp_path / "someone-else"), "DRILL_DB": str(shared)}
    assert _quiet(drill_proc, "decks", "add", str(traced), "--yes", env=other).returncode == 0
    traced.ran()
    result = _quiet(drill_proc, "--db", str(shared), "show", "double", "--seed", "5")
    assert result.returncode == 1 and UNTRUSTED in result.stderr
    assert traced.ran() == []
    added = _quiet(drill_proc, "--db", str(shared), "decks", "add", str(traced), "--yes")
    assert added.returncode == 0 and traced.ran()
    assert _quiet(drill_proc, "--db", str(shared), "status").stderr == ""


def test_restoring_a_database_never_runs_its_decks_code(drill_proc, traced, tmp_path):
    friend = {"DRILL_CONFIG_DIR": str(tmp_path / "friend"), "DRILL_DB": str(tmp_path / "friend.db")}
    assert _quiet(drill_proc, "decks", "add", str(traced), "--yes", env=friend).returncode == 0
    assert _quiet(drill_proc, "backup", str(tmp_path / "friend-copy.db"), env=friend).returncode == 0
    traced.ran()
    restored = _quiet(drill_proc, "restore", str(tmp_path / "friend-copy.db"))
    assert restored.returncode == 0, restored.stderr
    status = _quiet(drill_proc, "status")
    assert status.returncode == 0 and UNTRUSTED in status.stderr
    assert traced.ran() == []


def test_removing_a_deck_stops_trusting_its_folder(drill_proc, traced, trust_list):
    _quiet(drill_proc, "decks", "add", str(traced), "--yes")
    removed = _quiet(drill_proc, "decks", "remove", "traced")
    assert removed.returncode == 0 and "Its folder is no longer trusted." in removed.stdout
    assert str(traced.folder) not in trust_list.read_text()
    again = _quiet(drill_proc, "decks", "add", str(traced))
    assert again.returncode == 1 and "--yes" in again.stderr


def test_a_damaged_trust_list_is_set_aside_and_named(drill_proc, traced, trust_list):
    _quiet(drill_proc, "decks", "add", str(traced), "--yes")
    traced.ran()
    trust_list.write_text('{"version": 1, "decks": [')
    result = _quiet(drill_proc, "status")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Error: the list of decks you trust, {trust_list}, was damaged")
    (kept,) = trust_list.parent.glob("trusted-decks.json.damaged-*")
    assert kept.read_text() == '{"version": 1, "decks": ['
    assert kept.name in result.stderr and "drill decks add PATH" in result.stderr
    after = _quiet(drill_proc, "status")
    assert after.returncode == 0 and UNTRUSTED in after.stderr
    assert traced.ran() == []


# -- decks check: an untrusted folder is checked without running it -----------------------------

# (what to break, the file and line named, words in the message)
STATIC_PROBLEMS = [
    ("bad TOML", lambda d: _replace(d / "01-double/item.toml", 'answer = "6"', 'answer = "6'),
     "01-double/item.toml", 6, "not valid TOML"),
    ("deck.toml missing", lambda d: (d / "deck.toml").unlink(), "deck.toml", 1, "file not found"),
    ("reference missing", lambda d: (d / "02-square/reference.py").unlink(), "02-square", 1, "needs a reference.py"),
    ("generator syntax error", lambda d: (d / "01-double/variants.py").write_text("def generate(seed)\n"),
     "01-double/variants.py", 1, "Python syntax error"),
    ("cases syntax error", lambda d: (d / "02-square/cases.py").write_text("import os\ndef cases(:\n"),
     "02-square/cases.py", 2, "Python syntax error"),
    ("wrong version indented badly", lambda d: (d / "02-square/wrong/doubles.py").write_text(
        "def square(x):\nreturn x\n"), "02-square/wrong/doubles.py", 2, "Python syntax error"),
    ("null bytes in a wrong version", lambda d: (d / "02-square/wrong/doubles.py").write_bytes(b"x = 1\0\n"),
     "02-square/wrong/doubles.py", 1, ""),
]


@pytest.mark.parametrize(("breaks", "where", "line", "words"), [p[1:] for p in STATIC_PROBLEMS],
                         ids=[p[0] for p in STATIC_PROBLEMS])
def test_check_of_an_untrusted_deck_runs_nothing_and_finds_problems(drill_proc, traced, breaks, where,
                                                                    line, words):
    breaks(traced.folder)
    result = _quiet(drill_proc, "decks", "check", str(traced))
    assert result.returncode == 1
    assert any(shown.startswith(f"{traced.folder / where}:{line}: ") and words in shown
               for shown in result.stdout.splitlines()), result.stdout
    assert "(its code was not run)" in result.stderr
    assert traced.ran() == []


def test_check_of_a_sound_untrusted_deck_says_its_code_did_not_run(drill_proc, traced, trust_list):
    result = _quiet(drill_proc, "decks", "check", str(traced))
    assert result.returncode == 0
    assert result.stdout == (f"No problems found in its files; its code was not run (you have not "
                             f"trusted it as it is now): `drill decks check {traced.folder} --run` "
                             f"runs it too.\n")
    assert traced.ran() == [] and not trust_list.exists()


def test_check_run_asks_then_runs(drill_tty, traced, trust_list):
    (traced.folder / "02-square/reference.py").write_text(
        (traced.folder / "02-square/reference.py").read_text().replace("x * x", "x + x"))
    child = drill_tty("decks", "check", str(traced), "--run")
    child.expect(r"Run this deck's code and check it\? \[y/N\]")
    child.sendline("y")
    assert _finish(child) == 1
    assert "gave 6, expected 9" in child.before  # only running the reference finds this
    assert "02-square/reference.py" in traced.ran()
    assert not trust_list.exists()  # checking is not trusting


def test_check_run_answered_no_runs_nothing(drill_tty, traced):
    child = drill_tty("decks", "check", str(traced), "--run")
    child.expect(r"\[y/N\]")
    child.sendline("n")
    assert _finish(child) == 0
    assert "its code was not run" in child.before and traced.ran() == []


@pytest.mark.parametrize("trusted", [False, True], ids=["--run --yes", "trusted already"])
def test_check_runs_code_that_was_agreed_to(drill_proc, traced, trusted):
    if trusted:
        _quiet(drill_proc, "decks", "add", str(traced), "--yes")
        traced.ran()
    result = _quiet(drill_proc, "decks", "check", str(traced), *([] if trusted else ["--run", "--yes"]))
    assert result.returncode == 0 and result.stdout.endswith("No problems found.\n")
    assert sorted(set(traced.ran())) == ALL_CODE


def test_check_run_without_a_terminal_asks_for_yes(drill_proc, traced):
    result = _quiet(drill_proc, "decks", "check", str(traced), "--run")
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "--yes" in result.stderr
    assert traced.ran() == []


def test_a_deck_left_out_keeps_its_schedule_until_trusted_again(drill_proc, traced, db_path):
    _quiet(drill_proc, "decks", "add", str(traced), "--yes")
    with Store.open(db_path) as store:
        store.grade("double", 5, when=datetime(2026, 11, 25, 9, tzinfo=UTC))
        before = store.card("double")
    (traced.folder / "01-double/variants.py").write_text(
        (traced.folder / "01-double/variants.py").read_text() + "\n# edited\n")
    assert "double" not in _quiet(drill_proc, "items").stdout
    assert _quiet(drill_proc, "decks", "trust", "traced", "--yes").returncode == 0
    assert "double" in _quiet(drill_proc, "items").stdout
    with Store.open(db_path) as store:
        assert store.card("double") == before


def test_help_explains_consent(run):
    shown = " ".join(run("decks", "--help").output.split())
    assert "does not stop to ask in the middle of another command" in shown
    assert "trusted-decks.json" in shown and "DRILL_CONFIG_DIR" in shown
    for command, words in [("add", "--yes"), ("trust", "changed"), ("check", "--run"),
                           ("remove", "stop trusting its folder")]:
        assert words in run("decks", command, "--help").output


@pytest.mark.skipif("filesystem" not in __import__("drill.containment").containment.probe().isolation,
                    reason="needs Landlock")
def test_an_added_decks_generator_runs_contained(drill_proc, traced, tmp_path):
    """A trusted deck's generator still cannot write its folder, read outside it or reach the
    network: it reports what it managed in its params, which drill shows."""
    secret = tmp_path / "home" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("s3cret")
    (traced.folder / "01-double" / "variants.py").write_text(
        "import os, socket\n"
        "def attempt(action):\n"
        "    try:\n"
        "        action()\n"
        "        return 'done'\n"
        "    except OSError as exc:\n"
        "        return type(exc).__name__\n"
        "def generate(seed):\n"
        "    here = os.path.dirname(os.path.abspath(__file__))\n"
        "    tried = {\n"
        "        'write its folder': attempt(lambda: open(os.path.join(here, 'dropped.txt'), 'w').write('x')),\n"
        f"        'read a secret': attempt(lambda: open({str(secret)!r}).read()),\n"
        "        'read the database': attempt(lambda: open(os.environ.get('DRILL_DB', '/nonexistent')).read()),\n"
        "        'read its own folder': attempt(lambda: open(__file__).read()),\n"
        "        'connect': attempt(lambda: socket.create_connection(('127.0.0.1', 9), timeout=1)),\n"
        "    }\n"
        "    n = seed + 3\n"
        "    return {'prompt': f'What is 2 times {n}?', 'answer': 2 * n, 'solution': 'so', 'params': tried}\n")
    added = drill_proc("decks", "add", str(traced), "--yes", env={"HOME": str(secret.parent)})
    assert added.returncode == 0, added.stderr
    shown = drill_proc("show", "double", "--seed", "2", "--json", env={"HOME": str(secret.parent)})
    assert shown.returncode == 0, shown.stderr
    tried = json.loads(shown.stdout)["params"]
    assert tried["read its own folder"] == "done"
    assert tried["write its folder"] == "PermissionError"
    assert tried["read a secret"] == "PermissionError"
    assert tried["read the database"] != "done"
    assert tried["connect"] != "done"
    assert not (traced.folder / "01-double" / "dropped.txt").exists()
