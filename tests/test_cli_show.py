import json

import numpy as np
import pytest

from tests.test_cli_items import CONTRACT

ITEM_IDS = [item_id for item_id, _ in CONTRACT]


@pytest.mark.parametrize("item_id", ITEM_IDS)
def test_show_json_has_the_contract_keys_and_no_backslashes(run_json, item_id):
    data = run_json("show", item_id, "--json")
    assert data["item"] == item_id
    assert data["seed"] == 0
    for key in ("prompt", "answer", "solution"):
        assert data[key]
        assert "\\" not in json.dumps(data[key], ensure_ascii=False).replace("\\n", "").replace('\\"', "")
    if data["mode"] == "numeric":
        assert isinstance(data["params"], dict)


@pytest.mark.parametrize("item_id", ITEM_IDS)
@pytest.mark.parametrize("seed", [0, 1, 7, 123456])
def test_show_text_never_shows_raw_latex(run, item_id, seed):
    result = run("show", item_id, "--seed", str(seed))
    assert result.exit_code == 0, result.output
    assert "\\" not in result.output.replace(r"\n", "")  # code may print "\n" literally
    assert "Worked solution:" in result.output


def test_forward_pass_variant_zero_is_the_self_check(run_json):
    data = run_json("show", "forward-pass", "--json")
    assert data["answer"] == 2
    params = data["params"]
    assert params["x"] == [1, -1]
    assert params["W1"] == [[2, 0], [0, 2]]


def test_weight_decay_variant_zero_is_the_self_check(run_json):
    data = run_json("show", "weight-decay", "--json")
    assert data["answer"] == 0.9999
    assert (data["params"]["alpha"], data["params"]["lam"]) == (0.01, 0.01)


@pytest.mark.parametrize("seed", range(1, 40))
def test_forward_pass_answer_matches_numpy(run_json, seed):
    data = run_json("show", "forward-pass", "--seed", str(seed), "--json")
    p = {k: np.array(v, dtype=float) for k, v in data["params"].items()}
    expected = p["W2"] @ np.maximum(p["W1"] @ p["x"] + p["b1"], 0) + p["b2"]
    assert np.allclose(np.ravel(data["answer"]), expected)


def test_show_stores_the_variant(run_json, db_path):
    import sqlite3

    run_json("show", "forward-pass", "--seed", "5", "--json")
    run_json("show", "forward-pass", "--seed", "5", "--json")
    rows = sqlite3.connect(db_path).execute(
        "SELECT item_id, seed FROM variants WHERE item_id = 'forward-pass'"
    ).fetchall()
    assert rows == [("forward-pass", 5)]


def test_code_item_shows_starter_and_reference(run):
    output = run("show", "softmax").output
    assert "The code with the bug:" in output
    assert "def softmax" in output
    assert "Reference solution:" in output


def test_same_seed_same_variant_different_seed_different(run_json):
    a = run_json("show", "forward-pass", "--seed", "11", "--json")
    b = run_json("show", "forward-pass", "--seed", "11", "--json")
    c = run_json("show", "forward-pass", "--seed", "12", "--json")
    assert a == b
    assert a["params"] != c["params"]


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (["show", "nope"], 1, "Error: there is no item 'nope'"),
        (["show", "relu", "--seed", "-3"], 2, "Invalid value for '--seed'"),
        (["show", "relu", "--seed", "abc"], 2, "Invalid value for '--seed'"),
        (["show", "relu", "--seed", str(2**64)], 2, "Invalid value for '--seed'"),
        (["show"], 2, "Missing argument 'ITEM'"),
    ],
)
def test_bad_show_arguments(run, args, code, text):
    result = run(*args)
    assert result.exit_code == code
    assert text in result.output
    assert "Traceback" not in result.output


def test_variants_lists_and_stores(run, run_json, db_path):
    import sqlite3

    result = run("variants", "weight-decay", "--count", "5")
    assert result.exit_code == 0
    assert result.output.count("seed") == 5
    count = sqlite3.connect(db_path).execute(
        "SELECT COUNT(*) FROM variants WHERE item_id = 'weight-decay'"
    ).fetchone()[0]
    assert count == 5
    listed = run_json("variants", "one-hot", "--count", "3", "--json")
    assert [v["seed"] for v in listed] == [0, 1, 2]
    assert listed[0]["mode"] == "code" and listed[1]["mode"] == "numeric"


def test_starter_prints_just_the_code(run, tmp_path):
    result = run("show", "softmax", "--starter")
    assert result.exit_code == 0
    compile(result.output, "starter.py", "exec")
    assert "def softmax" in result.output and "Answer:" not in result.output
    bad = run("show", "chain-rule", "--starter")
    assert bad.exit_code == 2 and "without starter code" in bad.output


def test_variants_stored_lists_what_was_generated(run, run_json):
    assert "No variants of weight-decay stored yet" in run("variants", "weight-decay", "--stored").output
    run("show", "weight-decay", "--seed", "4")
    run("show", "weight-decay", "--seed", "9")
    rows = run_json("variants", "weight-decay", "--stored", "--json")
    assert [r["seed"] for r in rows] == [4, 9]
    for row in rows:
        assert abs(row["answer"] - _weight_decay_answer(row["params"])) < 1e-9, row


def _weight_decay_answer(p: dict) -> float:
    """The contract's answer for each kind of weight-decay question."""
    asks = p.get("asks", "factor")
    if asks == "gradient":
        return p["grad"] + p["lam"] * p["w"]
    if asks == "step":
        return p["w"] * (1 - p["alpha"] * p["lam"]) - p["alpha"] * p["grad"]
    return 1 - p["alpha"] * p["lam"]


def test_variants_of_an_item_with_one_version_is_a_usage_error(run):
    result = run("variants", "relu")
    assert result.exit_code == 2 and "has one version only" in result.output


# --- reading in the terminal: wrapped to its width, plain when piped ---------------------

def display_width(line: str) -> int:
    import unicodedata

    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF"
               else 1 for ch in line)


def assert_wrapped(output: str, plain: str, width: int, kept: str = "") -> None:
    """`output` is `plain` wrapped to `width`: no word split or lost, no line wider than
    `width` except a line of `kept` (code, shown as it is)."""
    kept_lines = {line.rstrip() for line in kept.splitlines()}
    for line in output.splitlines():
        assert display_width(line) <= width or line.rstrip() in kept_lines, line
    assert output.split() == plain.split()


def code_of(item_id: str) -> str:
    from drill import loader, render

    item = next(i for i in loader.load_builtin().items if i.id == item_id)
    return "\n".join("    " + line for line in
                     ((item.starter or "") + "\n" + render.reference_code(item)).splitlines())


def pty_output(args, width, cwd=None):
    """Run `python -m drill ARGS` in a pseudo-terminal `width` columns wide, without COLUMNS."""
    from tests.terminal_kit import finish, spawn_drill, without_size

    child = spawn_drill(*args, env=without_size(), cwd=cwd, dimensions=(40, width), timeout=60)
    status = finish(child)
    return child.before.replace("\r\n", "\n"), status


@pytest.mark.parametrize("item_id", ITEM_IDS)
@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("width", [60, 100])
def test_show_wraps_to_columns(run, item_id, seed, width):
    plain = run("show", item_id, "--seed", str(seed), env={"COLUMNS": None}).output
    wrapped = run("show", item_id, "--seed", str(seed), env={"COLUMNS": str(width)}).output
    assert_wrapped(wrapped, plain, width, kept=code_of(item_id))


def test_show_keeps_matrix_grids_whole(run):
    plain = run("show", "forward-pass", env={"COLUMNS": None}).output
    wrapped = run("show", "forward-pass", env={"COLUMNS": "40"}).output
    grid = [line for line in plain.splitlines() if any(ch in line for ch in "⎡⎢⎣")]
    assert len(grid) == 2
    assert "\n".join(grid) in wrapped


@pytest.mark.parametrize("item_id", ["forward-pass", "hidden-delta", "chain-rule", "weight-decay"])
@pytest.mark.parametrize("width", [60, 100])
def test_show_in_a_terminal_wraps_to_its_width(drill_proc, item_id, width):
    output, status = pty_output(["show", item_id], width)
    assert status == 0
    plain = drill_proc("show", item_id, env={"COLUMNS": ""}).stdout
    assert_wrapped(output, plain, width, kept=code_of(item_id))


def test_show_piped_without_columns_is_not_wrapped(drill_proc):
    from drill import loader, render, variants

    result = drill_proc("show", "chain-rule", env={"COLUMNS": ""})
    assert result.returncode == 0
    item = next(i for i in loader.load_builtin().items if i.id == "chain-rule")
    assert result.stdout == render.variant_text(item, variants.make(item, 0)) + "\n"
    assert max(len(line) for line in result.stdout.splitlines()) > 100


def test_show_with_columns_wraps_even_when_piped(drill_proc):
    result = drill_proc("show", "chain-rule", env={"COLUMNS": "72"})
    plain = drill_proc("show", "chain-rule", env={"COLUMNS": ""}).stdout
    assert_wrapped(result.stdout, plain, 72)
