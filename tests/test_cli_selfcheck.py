"""`drill selfcheck --answers FILE`, `--history`, and what an attempt does to the schedule."""

import json
import sqlite3
import subprocess

import pytest

from drill import clock
from drill.collection import open_collection
from tests.selfcheck_kit import BAND_OF, IDS, answers_toml, spread


def rows(db_path, sql):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def attempts(db_path):
    return rows(db_path, "SELECT seed, mode, outcome, score, band FROM selfcheck_attempts ORDER BY id")


@pytest.mark.parametrize("score", [6, 7, 8, 9, 12])
def test_every_band_boundary_from_a_file(run, tmp_path, db_path, score):
    path = answers_toml(tmp_path, 7, spread(score))
    result = run("selfcheck", "--answers", str(path), "--json")
    data = json.loads(result.stdout)
    assert data["score"] == score and data["total"] == 12
    assert data["band"] == BAND_OF[score]
    assert data["passed"] is (score >= 9)
    assert result.exit_code == (0 if score >= 9 else 1)
    assert data["seed"] == 7
    assert [entry["item"] for entry in data["items"]] == IDS  # the seed's order
    assert {entry["item"] for entry in data["items"] if entry["correct"]} == spread(score)
    assert all(set(entry) >= {"item", "correct", "given", "expected"} for entry in data["items"])
    assert isinstance(data["advice"], str) and data["advice"]
    assert attempts(db_path) == [(7, "file", "finished", score, BAND_OF[score])]


def test_the_bands_advise_differently(run, tmp_path):
    advice = set()
    for score in (12, 8, 3):
        path = answers_toml(tmp_path, 0, spread(score), name=f"a{score}.toml")
        advice.add(json.loads(run("selfcheck", "--answers", str(path), "--json").stdout)["advice"])
    assert len(advice) == 3


def test_variant_zero_is_the_self_checks_own_numbers(run, tmp_path):
    path = tmp_path / "a.toml"
    path.write_text('[answers]\nforward-pass = "2"\nweight-decay = "99.99%"\n')
    data = json.loads(run("selfcheck", "--answers", str(path), "--json").stdout)
    assert data["seed"] == 0 and data["score"] == 2
    assert data["items"][0]["given"] == "2" and data["items"][0]["expected"] == "2"
    assert data["items"][-1]["expected"] == "0.9999"


def test_seed_comes_from_the_file_then_the_option_then_zero(run, tmp_path):
    right = {"forward-pass", "weight-decay"}
    with_seed = answers_toml(tmp_path, 41, right, name="with.toml")
    result = run("selfcheck", "--answers", str(with_seed), "--seed", "5", "--json")
    assert json.loads(result.stdout)["seed"] == 41
    assert "says seed = 41; marking with that seed, not --seed 5" in result.stderr
    bare = answers_toml(tmp_path, 5, right, name="bare.toml", with_seed=False)
    data = json.loads(run("selfcheck", "--answers", str(bare), "--seed", "5", "--json").stdout)
    assert data["seed"] == 5 and {e["item"] for e in data["items"] if e["correct"]} == right


def test_missing_items_count_as_missed(run, tmp_path):
    path = answers_toml(tmp_path, 3, set(IDS), skip={"relu", "chain-rule", "weight-decay"})
    result = run("selfcheck", "--answers", str(path), "--json")
    data = json.loads(result.stdout)
    assert data["score"] == 9 and data["passed"] is True and result.exit_code == 0
    missing = [e for e in data["items"] if e["given"] is None]
    assert [e["item"] for e in missing] == ["relu", "chain-rule", "weight-decay"]
    assert not any(e["correct"] for e in missing)


def test_text_output_names_the_score_band_and_what_to_review(run, tmp_path):
    path = answers_toml(tmp_path, 2, spread(8))
    result = run("selfcheck", "--answers", str(path))
    assert result.exit_code == 1
    out = result.stdout
    assert "Score 8 / 12" in out and "Band: review" in out
    for item_id in set(IDS) - spread(8):
        assert f"drill show {item_id}" in out and f"drill practice {item_id}" in out
    assert "drill show relu" not in out


BAD_FILES = [
    ("unknown item", '[answers]\nforward-pass = "2"\nbackprop = "1"\n', "backprop"),
    ("missing code file", '[answers]\nrelu = "nowhere.py"\n', "relu"),
    ("code file is a folder", '[answers]\nrelu = "."\n', "relu"),
    ("number not in quotes for code", "[answers]\nsoftmax = 3\n", "softmax"),
    ("malformed number", '[answers]\nweight-decay = "0.99.9"\n', "weight-decay"),
    ("empty number", '[answers]\nforward-pass = ""\n', "forward-pass"),
    ("boolean for a number", "[answers]\nforward-pass = true\n", "forward-pass"),
    ("text for a concept", '[answers]\nchain-rule = "yes"\n', "chain-rule"),
    ("not TOML", "[answers\nrelu = 1\n", "TOML"),
    ("no answers table", "seed = 3\n", "[answers]"),
    ("answers not a table", 'answers = "all of them"\n', "table"),
    ("negative seed", "seed = -1\n[answers]\n", "seed"),
    ("seed as text", 'seed = "7"\n[answers]\n', "seed"),
    ("unknown top-level key", "name = 'Ada'\n[answers]\n", "name"),
]


@pytest.mark.parametrize(("label", "text", "named"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_is_one_line_exit_1_and_nothing_recorded(drill_proc, tmp_path, db_path, label,
                                                            text, named):
    path = tmp_path / "answers.toml"
    path.write_text(text)
    result = drill_proc("selfcheck", "--answers", str(path))
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and named in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert attempts(db_path) == []
    assert rows(db_path, "SELECT COUNT(*) FROM cards WHERE due IS NOT NULL") == [(0,)]


def test_a_file_that_is_not_utf8_is_refused(drill_proc, tmp_path, db_path):
    path = tmp_path / "answers.toml"
    path.write_bytes(b'[answers]\nforward-pass = "\xff\xfe"\n')
    result = drill_proc("selfcheck", "--answers", str(path))
    assert result.returncode == 1 and "UTF-8" in result.stderr
    assert attempts(db_path) == []


USAGE = [
    (["--answers", "{tmp}/missing.toml"], "does not exist"),
    (["--history", "--seed", "3"], "--history"),
    (["--json"], "--json goes with"),
    (["--seed", "-2", "--answers", "{tmp}/a.toml"], "-2"),
    (["--time-limit", "0", "--answers", "{tmp}/a.toml"], "time-limit"),
    (["--time-limit", "5", "--answers", "{tmp}/a.toml"], "--time-limit is for the terminal"),
]


@pytest.mark.parametrize(("args", "named"), USAGE, ids=[" ".join(u[0]) for u in USAGE])
def test_usage_errors_exit_2(drill_proc, tmp_path, args, named):
    (tmp_path / "a.toml").write_text("[answers]\n")
    result = drill_proc("selfcheck", *[a.format(tmp=tmp_path) for a in args])
    assert result.returncode == 2, result.stderr
    assert named in result.stderr


def test_without_a_terminal_it_points_to_answers_files(drill_proc):
    result = drill_proc("selfcheck", stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert "interactive terminal" in result.stderr and "--answers" in result.stderr


# -- history and stats ---------------------------------------------------------------------


def test_history_lists_finished_attempts_newest_first(run, tmp_path, monkeypatch):
    for day, score in (("2026-11-20", 5), ("2026-11-22", 8), ("2026-11-25", 10)):
        monkeypatch.setenv("DRILL_NOW", f"{day}T10:00:00+00:00")
        path = answers_toml(tmp_path, 1, spread(score), name=f"{day}.toml")
        run("selfcheck", "--answers", str(path))
    data = json.loads(run("selfcheck", "--history", "--json").stdout)
    assert [a["score"] for a in data] == [10, 8, 5]
    assert [a["band"] for a in data] == ["ready", "review", "redo"]
    assert [a["passed"] for a in data] == [True, False, False]
    assert data[0]["taken_at"].startswith("2026-11-25")
    assert all(len(a["items"]) == 12 and a["mode"] == "file" for a in data)
    text = run("selfcheck", "--history").stdout
    assert "5 → 8 → 10" in text  # the trend, oldest first
    # dropout and one-hot were right in none of the three: missed most often.
    assert "Missed most often: dropout (3 of 3), one-hot (3 of 3)" in text
    assert text.index("10/12") < text.index(" 8/12") < text.index(" 5/12")


def test_history_when_empty(run):
    result = run("selfcheck", "--history")
    assert result.exit_code == 0 and "No finished self-check yet" in result.stdout
    assert json.loads(run("selfcheck", "--history", "--json").stdout) == []


def test_stats_shows_the_latest_score_and_band(run, tmp_path):
    assert "not taken yet" in run("stats").stdout
    run("selfcheck", "--answers", str(answers_toml(tmp_path, 4, spread(7))))
    run("selfcheck", "--answers", str(answers_toml(tmp_path, 4, spread(11), name="b.toml")))
    out = " ".join(run("stats").stdout.split())
    assert "11/12 on 2026-11-25, a pass (band ready)" in out
    latest = json.loads(run("stats", "--json").stdout)["selfcheck"]
    assert latest["score"] == 11 and latest["band"] == "ready" and latest["passed"] is True


def test_attempts_are_append_only(run, tmp_path, db_path):
    run("selfcheck", "--answers", str(answers_toml(tmp_path, 0, spread(9))))
    conn = sqlite3.connect(db_path)
    for sql in ("UPDATE selfcheck_attempts SET score = 12", "DELETE FROM selfcheck_attempts",
                "UPDATE selfcheck_results SET correct = 1", "DELETE FROM selfcheck_results"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)
    conn.close()


def test_no_record_marks_without_keeping_anything(run, tmp_path, db_path):
    result = run("selfcheck", "--answers", str(answers_toml(tmp_path, 0, spread(3))), "--no-record")
    assert result.exit_code == 1 and "Score 3 / 12" in result.stdout
    assert attempts(db_path) == []
    assert rows(db_path, "SELECT COUNT(*) FROM cards WHERE due IS NOT NULL") == [(0,)]


# -- the schedule --------------------------------------------------------------------------


def test_a_miss_is_due_next_day_at_the_latest_and_a_right_answer_moves_nothing(run, tmp_path,
                                                                                db_path, monkeypatch):
    # Learn every item well first: two right reviews put each card 6 days out.
    for day in ("2026-11-10", "2026-11-11"):
        monkeypatch.setenv("DRILL_NOW", f"{day}T10:00:00+00:00")
        with open_collection(db_path) as collection:
            for item_id in IDS:
                collection.store.grade(item_id, 5, when=clock.now())
    before = dict(rows(db_path, "SELECT item_id, due FROM cards"))
    assert set(before.values()) == {"2026-11-17"}
    monkeypatch.setenv("DRILL_NOW", "2026-11-12T10:00:00+00:00")
    right = spread(10)
    result = run("selfcheck", "--answers", str(answers_toml(tmp_path, 9, right)))
    assert "due for review by 2026-11-13" in result.stdout
    after = dict(rows(db_path, "SELECT item_id, due FROM cards"))
    for item_id in IDS:
        assert after[item_id] == (before[item_id] if item_id in right else "2026-11-13"), item_id
    # The review log and SM-2 state are untouched; drill doctor replays the miss and agrees.
    assert rows(db_path, "SELECT COUNT(*) FROM reviews") == [(24,)]
    doctor = run("doctor")
    assert doctor.exit_code == 0, doctor.output


def test_a_miss_does_not_push_an_earlier_due_day_later(run, tmp_path, db_path, monkeypatch):
    monkeypatch.setenv("DRILL_NOW", "2026-11-20T10:00:00+00:00")
    with open_collection(db_path) as collection:
        collection.store.grade("relu", 1, when=clock.now())  # due 2026-11-21
    monkeypatch.setenv("DRILL_NOW", "2026-11-25T10:00:00+00:00")  # overdue now
    run("selfcheck", "--answers", str(answers_toml(tmp_path, 0, set())))
    due = dict(rows(db_path, "SELECT item_id, due FROM cards"))
    assert due["relu"] == "2026-11-21"  # still overdue, not moved later
    assert due["mse"] == "2026-11-26"  # a new card missed in the self-check: due tomorrow
    assert json.loads(run("status", "--json").stdout)["due"] == 1


def test_undoing_an_earlier_grade_keeps_the_self_checks_miss(run, tmp_path, db_path, monkeypatch):
    monkeypatch.setenv("DRILL_NOW", "2026-11-20T10:00:00+00:00")
    with open_collection(db_path) as collection:
        collection.store.grade("dropout", 5, when=clock.now())
        collection.store.grade("dropout", 5, when=clock.now())  # due 2026-11-26
    monkeypatch.setenv("DRILL_NOW", "2026-11-21T10:00:00+00:00")
    run("selfcheck", "--answers", str(answers_toml(tmp_path, 0, set(IDS) - {"dropout"})))
    assert dict(rows(db_path, "SELECT item_id, due FROM cards"))["dropout"] == "2026-11-22"
    assert run("undo").exit_code == 0  # takes back the second grade
    assert dict(rows(db_path, "SELECT item_id, due FROM cards"))["dropout"] == "2026-11-21"
    assert run("doctor").exit_code == 0


def test_the_same_answers_give_the_same_score_as_typed_forms(run, tmp_path):
    """Numeric answers accept what `drill practice` accepts: fractions, percentages, sums."""
    path = tmp_path / "a.toml"
    path.write_text('[answers]\nforward-pass = "4/2"\nweight-decay = "1 - 0.01*0.01"\n')
    data = json.loads(run("selfcheck", "--answers", str(path), "--json").stdout)
    assert data["score"] == 2
