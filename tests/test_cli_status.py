from datetime import UTC

import pytest

EXPECTED_KEYS = {"due", "new", "reviewed_today", "items"}


def test_fresh_collection_has_twelve_new_items(run_json):
    assert run_json("status", "--json") == {"due": 0, "new": 12, "reviewed_today": 0, "items": 12}


def test_human_status_is_one_line(run):
    result = run("status")
    assert result.exit_code == 0
    assert result.output == "0 due, 12 new, 0 reviewed today (12 items)\n"


def test_status_follows_grades_and_the_clock(run_json, db_path, monkeypatch):
    from datetime import datetime

    from drill.store import Store

    run_json("status", "--json")  # creates and syncs the database
    with Store.open(db_path) as store:
        when = datetime(2026, 11, 25, 9, tzinfo=UTC)
        store.grade("relu", 5, when=when)
        store.grade("mse", 1, when=when)
    counts = run_json("status", "--json")
    assert counts == {"due": 0, "new": 10, "reviewed_today": 2, "items": 12}
    monkeypatch.setenv("DRILL_NOW", "2026-11-26T09:00:00+00:00")
    assert run_json("status", "--json") == {"due": 2, "new": 10, "reviewed_today": 0, "items": 12}


def test_late_night_counts_for_the_evening_before(run_json, db_path, monkeypatch):
    from datetime import datetime

    from drill.store import Store

    run_json("status", "--json")
    with Store.open(db_path) as store:
        store.grade("relu", 5, when=datetime(2026, 11, 26, 2, 30, tzinfo=UTC))
    monkeypatch.setenv("DRILL_NOW", "2026-11-25T22:00:00+00:00")
    assert run_json("status", "--json")["reviewed_today"] == 1


def test_day_start_is_configurable(run, run_json, monkeypatch):
    assert run("config", "day-start", "0").exit_code == 0
    assert "day-start = 0" in run("config").output
    import os
    from datetime import datetime

    from drill.store import Store

    with Store.open(os.environ["DRILL_DB"]) as store:
        store.grade("relu", 5, when=datetime(2026, 11, 26, 2, 30, tzinfo=UTC))
    monkeypatch.setenv("DRILL_NOW", "2026-11-25T22:00:00+00:00")
    assert run_json("status", "--json")["reviewed_today"] == 0


@pytest.mark.parametrize("value", ["24", "99", "four", "4.5", ""])
def test_bad_day_start_is_refused(run, value):
    result = run("config", "day-start", value)
    assert result.exit_code == 1
    assert result.output.startswith("Error: day-start must be an hour from 0 to 23")


def test_db_option_beats_the_environment(run_json, tmp_path, db_path):
    other = tmp_path / "other.db"
    run_json("--db", str(other), "status", "--json")
    assert other.exists()
    assert not db_path.exists()


def test_status_json_keys_are_the_contract(run_json):
    assert set(run_json("status", "--json")) >= EXPECTED_KEYS


def test_negative_day_start_is_a_usage_error(run):
    result = run("config", "day-start", "-1")
    assert result.exit_code == 2
    assert "No such option" in result.output
