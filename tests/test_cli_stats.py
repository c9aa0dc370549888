from datetime import UTC, datetime

import pytest

from drill.store import Store

CONTRACT_KEYS = {"reviews_per_day", "retention", "items", "forecast", "streak", "total_reviews"}
ITEM_KEYS = {"id", "title", "easiness", "interval", "repetitions", "lapses", "due", "leech",
             "failed_variants"}
HEADINGS = ["Streak", "Reviews per day", "Retention", "Items", "Due forecast"]


def test_a_new_learner_gets_zeros(run_json):
    data = run_json("stats", "--json")
    assert set(data) >= CONTRACT_KEYS
    assert (data["streak"], data["total_reviews"], data["reviews_per_day"]) == (0, 0, [])
    assert data["retention"]["overall"] == {"correct": 0, "total": 0, "rate": None}
    assert len(data["items"]) == len(data["retention"]["items"]) == 12
    assert all(set(item) >= ITEM_KEYS and not item["leech"] for item in data["items"])
    assert [row["due"] for row in data["forecast"]] == [0] * 30
    assert (data["forecast"][0]["day"], data["forecast"][-1]["day"]) == ("2026-11-25", "2026-12-24")


def test_human_output_of_a_new_learner(run):
    result = run("stats")
    assert result.exit_code == 0, result.output
    for heading in HEADINGS:
        assert heading in result.output
    assert "Less" in result.output and "More" in result.output
    assert "Traceback" not in result.output


def test_stats_follow_the_history(run, run_json, db_path):
    run("status")  # creates and syncs the database
    with Store.open(db_path) as store:
        store.grade("mse", 1, when=datetime(2026, 11, 24, 9, tzinfo=UTC))
        store.grade("mse", 4, when=datetime(2026, 11, 24, 10, tzinfo=UTC), redrill=True)
        store.grade("relu", 5, when=datetime(2026, 11, 25, 9, tzinfo=UTC), correct=True)
    data = run_json("stats", "--json")
    assert data["reviews_per_day"] == [{"day": "2026-11-24", "count": 2, "anki": 0},
                                       {"day": "2026-11-25", "count": 1, "anki": 0}]
    assert (data["streak"], data["total_reviews"]) == (2, 3)
    assert data["retention"]["overall"] == {"correct": 1, "total": 2, "rate": 0.5}
    assert [row["due"] for row in data["forecast"][:3]] == [1, 1, 0]  # mse today, relu tomorrow
    items = {item["id"]: item for item in data["items"]}
    assert items["relu"]["easiness"] == 2.6 and items["relu"]["due"] == "2026-11-26"
    text = run("stats").output
    assert "2 days in a row · 3 reviews in total" in text
    assert "50% correct (n=2)" in text


def test_deck_option(run, run_json):
    data = run_json("stats", "--json", "--deck", "dl_foundations")
    assert len(data["items"]) == 12
    result = run("stats", "--deck", "nope")
    assert result.exit_code == 1
    assert result.output.startswith("Error: there is no deck 'nope'")


@pytest.mark.parametrize("args", [["stats", "--help"], ["stats", "-h"]])
def test_help(run, args):
    result = run(*args)
    assert result.exit_code == 0
    assert "--json" in result.output and "--deck" in result.output
