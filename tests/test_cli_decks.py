import sqlite3
from datetime import datetime, timezone

from drill.store import Store
from tests.test_loader import _replace, write_deck


def test_decks_lists_the_builtin_deck(run):
    result = run("decks")
    assert result.exit_code == 0
    assert "dl_foundations  12 items" in result.output
    assert "built-in" in result.output


def test_add_a_deck_then_use_its_items(run, run_json, tmp_path):
    deck = write_deck(tmp_path)
    result = run("decks", "add", str(deck))
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
    result = run("decks", "add", str(deck))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {deck / '01-double/item.toml'}:2: unknown kind 'essay'")
    assert result.output.count("\n") == 1
    assert run_json("status", "--json")["items"] == 12


def test_adding_a_deck_whose_code_fails_is_refused(run, run_json, tmp_path):
    deck = write_deck(tmp_path)
    (deck / "02-square/reference.py").write_text(
        "def square(x):\n    return x + x\n\nEXAMPLES = [('square', (3,), 9)]\n"
    )
    result = run("decks", "add", str(deck))
    assert result.exit_code == 1
    assert "gave 6, expected 9" in result.output
    assert run_json("status", "--json")["items"] == 12


def test_a_clashing_id_is_refused(run, tmp_path):
    deck = write_deck(tmp_path)
    _replace(deck / "01-double/item.toml", 'id = "double"', 'id = "relu"')
    result = run("decks", "add", str(deck))
    assert result.exit_code == 1
    assert "the id 'relu' is already used by the deck 'dl_foundations'" in result.output


def test_editing_an_item_keeps_its_schedule_and_history(run, run_json, tmp_path, db_path):
    deck = write_deck(tmp_path)
    run("decks", "add", str(deck))
    with Store.open(db_path) as store:
        store.grade("double", 5, when=datetime(2026, 11, 25, 9, tzinfo=timezone.utc))
        before = store.card("double")
    _replace(deck / "01-double/item.toml", "Two threes make six.", "Three plus three is six.")
    shown = run_json("show", "double", "--json")
    assert "Three plus three" in shown["solution"]
    with Store.open(db_path) as store:
        assert store.card("double") == before
        assert store.conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 1


def test_removing_an_item_folder_retires_it_and_keeps_history(run, run_json, tmp_path, db_path):
    import shutil

    deck = write_deck(tmp_path)
    run("decks", "add", str(deck))
    with Store.open(db_path) as store:
        store.grade("double", 5, when=datetime(2026, 11, 25, 9, tzinfo=timezone.utc))
    shutil.rmtree(deck / "01-double")
    ids = [r["id"] for r in run_json("items", "--json")]
    assert "double" not in ids and "square" in ids
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT retired_at IS NOT NULL FROM items WHERE id = 'double'").fetchone() == (1,)
    assert conn.execute("SELECT COUNT(*) FROM reviews WHERE item_id = 'double'").fetchone() == (1,)
    result = run("show", "double")
    assert result.exit_code == 1 and "there is no item 'double'" in result.output


def test_remove_a_deck(run, run_json, tmp_path):
    deck = write_deck(tmp_path)
    run("decks", "add", str(deck))
    result = run("decks", "remove", "mine")
    assert result.exit_code == 0
    assert "2 items retired" in result.output
    assert run_json("status", "--json")["items"] == 12
    assert run("decks", "remove", "mine").exit_code == 1
    assert run("decks", "remove", "dl_foundations").exit_code == 1


def test_a_deck_folder_that_vanished_gets_a_clear_error(run, tmp_path):
    import shutil

    deck = write_deck(tmp_path)
    run("decks", "add", str(deck))
    shutil.rmtree(deck)
    result = run("status")
    assert result.exit_code == 0  # the rest of the collection still works
    assert "Warning: the deck 'mine' was added from" in result.stderr
    assert "which is gone; put it back or run `drill decks remove mine`" in result.stderr
    assert result.stdout.startswith("0 due, 12 new")
    removed = run("decks", "remove", "mine")
    assert removed.exit_code == 0, removed.output
    assert "Warning" not in run("status").stderr


def test_a_deck_broken_after_adding_does_not_lock_the_collection(run, tmp_path):
    deck = write_deck(tmp_path)
    run("decks", "add", str(deck))
    _replace(deck / "01-double/item.toml", '"numeric"', '"essay"')
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


def test_deck_option_selects_one_deck(run, run_json, tmp_path):
    deck = write_deck(tmp_path)
    run("decks", "add", str(deck))
    assert [r["id"] for r in run_json("items", "--deck", "mine", "--json")] == ["double", "square"]
    assert run_json("status", "--deck", "mine", "--json")["items"] == 2
    assert run_json("status", "--deck", "dl_foundations", "--json")["items"] == 12
    assert [r["id"] for r in run_json("items", "--json")][:1] == ["forward-pass"]
    result = run("items", "--deck", "nope")
    assert result.exit_code == 1 and "there is no deck 'nope'" in result.output


def test_a_fixed_deck_comes_back_with_its_schedule(run, run_json, tmp_path, db_path):
    deck = write_deck(tmp_path)
    run("decks", "add", str(deck))
    with Store.open(db_path) as store:
        store.grade("double", 5, when=datetime(2026, 11, 25, 9, tzinfo=timezone.utc))
        before = store.card("double")
    _replace(deck / "01-double/item.toml", '"numeric"', '"essay"')
    assert "double" not in [r["id"] for r in run_json("items", "--json")]
    _replace(deck / "01-double/item.toml", '"essay"', '"numeric"')
    assert "double" in [r["id"] for r in run_json("items", "--json")]
    with Store.open(db_path) as store:
        assert store.card("double") == before
