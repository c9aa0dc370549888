import io
import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest

from drill import stats
from drill.models import Tolerance, Variant
from drill.store import Store

TODAY = date(2026, 11, 25)  # a Wednesday: the learning day of the conftest's pinned DRILL_NOW
SYNCED = datetime(2026, 5, 1, 9, tzinfo=UTC)
FP_PARAMS = {"x": [1, -2], "W1": [[1, 0], [2, -1]], "b1": [0, 1], "W2": [[1, 1]], "b2": [0]}


def at(day: date, hour: int = 9) -> datetime:
    """A moment on `day` (UTC is local time in the tests; days start at 04:00)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def _item(item_id, position=1, kind="recall"):
    return {"id": item_id, "kind": kind, "title": f"Title of {item_id}", "position": position,
            "tags": [], "content": {"prompt": "?"}}


DECK_ITEMS = [_item("a", 1), _item("b", 2, "numeric"), _item("c", 3), _item("d", 4),
              _item("fp", 5, "numeric")]


@pytest.fixture
def store(db_path):
    s = Store.open(db_path)
    s.sync_items("deck", DECK_ITEMS, SYNCED)
    s.sync_items("other", [_item("z")], SYNCED)
    yield s
    s.close()


def by_id(result: dict) -> dict:
    return {item["id"]: item for item in result["items"]}


def retention_of(result: dict) -> dict:
    return {row["id"]: (row["correct"], row["total"]) for row in result["retention"]["items"]}


def set_due(store, item_id, due, buried_until=None):
    store.conn.execute(
        "UPDATE cards SET due = ?, buried_until = ? WHERE item_id = ?",
        [due and due.isoformat(), buried_until and buried_until.isoformat(), item_id],
    )


def save_fp_variant(store, seed, params):
    variant = Variant(item_id="fp", seed=seed, mode="numeric", prompt="p", answer=2.0,
                      answer_text="2", solution="s", params=params, tolerance=Tolerance())
    store.save_variant(variant, SYNCED)


def rendered(result, width=100) -> str:
    from rich.console import Console

    console = Console(file=io.StringIO(), record=True, width=width, color_system=None)
    console.print(stats.render(result, width))
    return console.export_text(styles=False)


# -- the window and the levels ---------------------------------------------------------------


def test_the_pinned_clock_is_the_learning_day_used_here(store):
    assert store.today() == TODAY


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (date(2026, 11, 25), date(2026, 6, 1)),   # Wednesday: back to Monday 23 Nov, then 25 weeks
        (date(2026, 11, 23), date(2026, 6, 1)),   # the Monday itself
        (date(2026, 11, 29), date(2026, 6, 1)),   # Sunday closes the same week
        (date(2026, 11, 30), date(2026, 6, 8)),   # next Monday opens a new column
    ],
)
def test_heatmap_starts_on_the_monday_25_weeks_back(today, start):
    assert stats.heatmap_start(today) == start
    assert start.weekday() == 0


@pytest.mark.parametrize(
    ("count", "peak", "level"),
    [(0, 5, 0), (5, 0, 0), (1, 4, 1), (2, 4, 2), (3, 4, 3), (4, 4, 4), (1, 1, 4),
     (1, 100, 1), (25, 100, 1), (26, 100, 2), (75, 100, 3), (76, 100, 4)],
)
def test_heat_levels_are_quarters_of_the_busiest_day(count, peak, level):
    assert stats.heat_level(count, peak) == level


# -- a new learner -----------------------------------------------------------------------------


def test_a_new_learner_gets_zeros_everywhere(store):
    result = stats.compute(store, TODAY)
    assert result["reviews_per_day"] == []
    assert (result["total_reviews"], result["streak"]) == (0, 0)
    assert result["retention"]["overall"] == {"correct": 0, "total": 0, "rate": None}
    assert retention_of(result) == dict.fromkeys(["a", "b", "c", "d", "fp", "z"], (0, 0))
    assert [row["day"] for row in result["forecast"]] == [TODAY + timedelta(n) for n in range(30)]
    assert {row["due"] for row in result["forecast"]} == {0}
    fp = by_id(result)["fp"]
    assert fp == {"id": "fp", "title": "Title of fp", "easiness": 2.5, "interval": 0,
                  "repetitions": 0, "lapses": 0, "due": None, "leech": False,
                  "failed_variants": []}


# -- reviews per day ---------------------------------------------------------------------------


def test_reviews_per_day_counts_live_grades_and_redrills_in_the_window(store):
    store.grade("a", 5, when=at(date(2026, 5, 31)))        # the day before the window
    store.grade("b", 5, when=at(date(2026, 6, 1)))         # the window's first day
    store.grade("a", 4, when=at(ago(2)))
    store.grade("c", 2, when=at(ago(2)))
    store.grade("c", 3, when=at(ago(2), 10), redrill=True)
    store.grade("c", 4, when=at(ago(2), 11), redrill=True)
    store.grade("a", 5, when=at(TODAY, 2))                 # 02:00 belongs to the day before
    store.grade("b", 1, when=at(TODAY))
    store.undo_last(at(TODAY))                             # that grade no longer counts
    store.grade("d", 5, when=at(TODAY))
    result = stats.compute(store, TODAY)
    assert result["reviews_per_day"] == [
        {"day": date(2026, 6, 1), "count": 1, "anki": 0},
        {"day": ago(2), "count": 4, "anki": 0},
        {"day": ago(1), "count": 1, "anki": 0},
        {"day": TODAY, "count": 1, "anki": 0},
    ]
    assert result["total_reviews"] == 8


# -- retention ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quality", "correct", "redrill", "counted"),
    [
        (5, None, False, (1, 1)),   # recall, self-graded pass
        (3, None, False, (1, 1)),   # 3 is still a pass
        (2, None, False, (0, 1)),   # recall, self-graded fail
        (5, True, False, (1, 1)),   # checked right
        (5, False, False, (0, 1)),  # checked wrong: the checker wins over the grade
        (1, True, False, (1, 1)),   # checked right though graded low
        (4, None, True, (0, 0)),    # a same-day re-drill is not counted
        (1, False, True, (0, 0)),
    ],
)
def test_what_counts_as_correct(store, quality, correct, redrill, counted):
    store.grade("a", quality, when=at(TODAY), correct=correct, redrill=redrill)
    result = stats.compute(store, TODAY)
    assert retention_of(result)["a"] == counted
    overall = result["retention"]["overall"]
    assert (overall["correct"], overall["total"]) == counted
    assert overall["rate"] == (counted[0] / counted[1] if counted[1] else None)


def test_retention_overall_and_per_item(store):
    store.grade("a", 5, when=at(ago(10)))                  # right
    store.grade("a", 2, when=at(ago(9)))                   # wrong
    store.grade("a", 4, when=at(ago(9), 10), redrill=True)  # not counted
    store.grade("a", 4, when=at(ago(8)))                   # right: a is 2 of 3
    store.grade("b", 4, when=at(ago(10)), correct=True)    # right
    store.grade("b", 4, when=at(ago(9)), correct=False)    # wrong: b is 1 of 2
    store.grade("c", 1, when=at(ago(5)))
    store.undo_last(at(ago(5)))                            # c: nothing left
    result = stats.compute(store, TODAY)
    assert result["retention"]["overall"] == {"correct": 3, "total": 5, "rate": 0.6}
    assert retention_of(result) == {"a": (2, 3), "b": (1, 2), "c": (0, 0), "d": (0, 0),
                                    "fp": (0, 0), "z": (0, 0)}
    rates = {row["id"]: row["rate"] for row in result["retention"]["items"]}
    assert rates["a"] == pytest.approx(2 / 3) and rates["b"] == 0.5 and rates["c"] is None
    text = rendered(result)
    assert "60% correct (n=5)" in text
    rows = {line.split()[0]: line for line in text.splitlines() if line.split()}
    assert "67% (n=3)" in rows["a"]
    assert "50% (n=2)" in rows["b"]
    assert rows["c"].rstrip().endswith("—")


# -- the schedule per item and leeches ---------------------------------------------------------


@pytest.mark.parametrize(
    ("grades", "undo", "lapses", "leech"),
    [
        ([5, 1, 5, 1], False, 2, False),
        ([5, 1, 5, 1, 5, 1], False, 3, True),             # exactly LEECH_LAPSES
        ([5, 1, 5, 1, 5, 1, 5, 1], False, 4, True),
        ([1, 5, 1, 5, 1], False, 2, False),                # failing a new card is no lapse
        ([5, 1, 1, 1, 5, 1], False, 2, False),             # failing again before relearning neither
        ([5, 1, 5, 1, 5, 1], True, 2, False),              # the third lapse undone
    ],
    ids=["two", "three", "four", "new-card-fail", "repeat-fail", "undone"],
)
def test_leech_at_three_lapses(store, grades, undo, lapses, leech):
    for n, quality in enumerate(grades):
        store.grade("a", quality, when=at(ago(len(grades) - n)))
    if undo:
        store.undo_last(at(TODAY))
    item = by_id(stats.compute(store, TODAY))["a"]
    assert (item["lapses"], item["leech"]) == (lapses, leech)
    assert stats.LEECH_LAPSES == 3


def test_schedule_columns_follow_the_card(store):
    store.grade("a", 5, when=at(ago(7)))   # interval 1, EF 2.6
    store.grade("a", 3, when=at(ago(6)))   # interval 6, EF 2.46
    item = by_id(stats.compute(store, TODAY))["a"]
    assert (item["easiness"], item["interval"], item["repetitions"], item["due"]) == (
        2.46, 6, 2, TODAY)
    assert "2.46" in rendered(stats.compute(store, TODAY))


def _fp_history(store):
    save_fp_variant(store, 17, FP_PARAMS)
    save_fp_variant(store, 4, {"x": [3, 1]})
    history = [  # (days ago, quality, seed, redrill)
        (13, 2, 30, False),   # failed while new: a failure, not a lapse
        (12, 5, 1, False),
        (11, 1, 17, False),   # lapse 1
        (10, 5, 2, False),
        (9, 2, 4, False),     # lapse 2
        (9, 1, 4, True),      # a failed re-drill: not listed
        (8, 5, 3, False),
        (7, 0, 9, False),     # lapse 3: a leech from here on; seed 9 was never stored
        (6, 5, 5, False),
        (5, 1, 17, False),    # lapse 4, seed 17 again
        (4, 4, 6, False),
        (3, 2, 8, False),     # undone below
    ]
    for days, quality, seed, redrill in history:
        store.grade("fp", quality, when=at(ago(days)), seed=seed, redrill=redrill)
    store.undo_last(at(ago(3)))


def test_failed_variants_of_a_leech(store):
    _fp_history(store)
    store.grade("a", 1, when=at(ago(1)), seed=2)  # a failure, but a is no leech
    result = stats.compute(store, TODAY)
    fp = by_id(result)["fp"]
    assert (fp["lapses"], fp["leech"]) == (4, True)
    # Most recent failure first, a seed once with its count, at most three seeds (30 is cut).
    assert fp["failed_variants"] == [
        {"seed": 17, "params": FP_PARAMS, "failures": 2, "last_day": ago(5)},
        {"seed": 9, "params": None, "failures": 1, "last_day": ago(7)},
        {"seed": 4, "params": {"x": [3, 1]}, "failures": 1, "last_day": ago(9)},
    ]
    assert by_id(result)["a"]["failed_variants"] == []


def test_leeches_are_listed_one_line_per_failed_variant(store):
    _fp_history(store)
    lines = rendered(stats.compute(store, TODAY), width=200).splitlines()
    failed = [line for line in lines if line.startswith("fp: failed")]
    assert failed == [
        "fp: failed seed 17 ×2 (W1=[[1, 0], [2, -1]], W2=[[1, 1]], b1=[0, 1], b2=[0], x=[1, -2])",
        "fp: failed seed 9 (parameters not stored)",
        "fp: failed seed 4 (x=[3, 1])",
    ]
    fp_row = next(line for line in lines if line.startswith("fp ") and "leech" in line)
    assert fp_row.split()[4] == "4"  # the lapses column
    narrow = rendered(stats.compute(store, TODAY), width=50).splitlines()
    first = next(line for line in narrow if line.startswith("fp: failed seed 17"))
    assert len(first) <= 50 and first.endswith("…")


# -- the forecast ------------------------------------------------------------------------------


def test_forecast_counts_active_cards_by_due_day(store):
    store.sync_items("other", [_item("z"), _item("y", 2)], SYNCED)
    set_due(store, "y", TODAY)
    store.sync_items("other", [_item("z")], SYNCED)      # y retired: not counted
    set_due(store, "a", ago(3))                          # overdue: counts on today
    set_due(store, "b", TODAY)
    set_due(store, "c", TODAY + timedelta(29))           # the last day shown
    set_due(store, "d", TODAY + timedelta(30))           # one day too far
    set_due(store, "fp", TODAY + timedelta(5), buried_until=TODAY + timedelta(7))  # burial ignored
    set_due(store, "z", TODAY + timedelta(5))
    expected = [0] * 30
    expected[0], expected[5], expected[29] = 2, 2, 1
    result = stats.compute(store, TODAY)
    assert [row["due"] for row in result["forecast"]] == expected
    deck_only = stats.compute(store, TODAY, deck="deck")
    assert [row["due"] for row in deck_only["forecast"]][5] == 1


def test_forecast_follows_grades(store):
    store.grade("a", 5, when=at(TODAY))           # interval 1: tomorrow
    store.grade("b", 5, when=at(ago(1)))          # interval 1: today
    store.grade("c", 4, when=at(ago(2)))
    store.grade("c", 4, when=at(ago(1)))          # interval 6 from yesterday: in five days
    forecast = stats.compute(store, TODAY)["forecast"]
    assert {row["day"]: row["due"] for row in forecast if row["due"]} == {
        TODAY: 1, TODAY + timedelta(1): 1, TODAY + timedelta(5): 1}


def test_forecast_bars(store):
    for item_id in ["a", "b", "c"]:
        set_due(store, item_id, TODAY + timedelta(1))
    set_due(store, "d", TODAY)
    lines = rendered(stats.compute(store, TODAY)).splitlines()
    assert "Wed 2026-11-25  1 █" in lines
    assert "Thu 2026-11-26  3 ███" in lines
    assert "Fri 2026-11-27  0" in lines
    assert "Thu 2026-12-24  0" in lines   # today + 29, the last day shown
    assert not any(line.startswith("Fri 2026-12-25") for line in lines)


# -- the streak --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_ago", "streak"),
    [
        ([], 0),
        ([0], 1),
        ([1], 1),                      # nothing yet today: the streak ends yesterday
        ([2], 0),                      # a day missed
        ([0, 1, 2, 4, 5], 3),          # the gap at 3 ends it
        ([1, 2, 3, 5, 6, 7, 8], 3),
        ([0, 2, 3], 1),
        (list(range(31)), 31),         # across the end of October
        ([40, 41, 42], 0),
    ],
)
def test_streak(store, days_ago, streak):
    for days in sorted(days_ago, reverse=True):
        store.grade("a", 1, when=at(ago(days)))
    result = stats.compute(store, TODAY)
    assert result["streak"] == streak
    assert result["total_reviews"] == len(days_ago)


@pytest.mark.parametrize(
    ("days_ago", "line"),
    [
        ([], "0 days (review today to start one) · 0 reviews in total"),
        ([0], "1 day in a row · 1 review in total"),
        ([1, 2], "2 days in a row, up to yesterday: review today to keep it · 2 reviews in total"),
    ],
)
def test_streak_line(store, days_ago, line):
    for days in sorted(days_ago, reverse=True):
        store.grade("a", 1, when=at(ago(days)))
    assert line in rendered(stats.compute(store, TODAY), width=120).splitlines()


def test_an_undone_day_breaks_the_streak(store):
    store.grade("a", 4, when=at(ago(2)))
    store.grade("a", 4, when=at(ago(1)))
    store.undo_last(at(ago(1)))
    store.grade("b", 4, when=at(TODAY))
    store.grade("b", 4, when=at(TODAY, 10), redrill=True)
    result = stats.compute(store, TODAY)
    assert (result["streak"], result["total_reviews"]) == (1, 3)


# -- decks and JSON ----------------------------------------------------------------------------


def test_deck_limits_everything(store):
    store.grade("a", 5, when=at(ago(1)))
    store.grade("z", 2, when=at(TODAY))
    store.grade("z", 4, when=at(TODAY, 10), redrill=True)
    mine = stats.compute(store, TODAY, deck="deck")
    other = stats.compute(store, TODAY, deck="other")
    assert [i["id"] for i in mine["items"]] == ["a", "b", "c", "d", "fp"]
    assert [i["id"] for i in other["items"]] == ["z"]
    assert (mine["total_reviews"], mine["streak"]) == (1, 1)
    assert (other["total_reviews"], other["streak"]) == (2, 1)
    assert mine["reviews_per_day"] == [{"day": ago(1), "count": 1, "anki": 0}]
    assert other["reviews_per_day"] == [{"day": TODAY, "count": 2, "anki": 0}]
    assert mine["retention"]["overall"] == {"correct": 1, "total": 1, "rate": 1.0}
    assert other["retention"]["overall"] == {"correct": 0, "total": 1, "rate": 0.0}
    assert [r["due"] for r in mine["forecast"][:2]] == [1, 0]
    assert [r["due"] for r in other["forecast"][:2]] == [0, 1]
    assert "Deck: other" in rendered(other)


def test_json_is_plain_with_iso_dates(store):
    _fp_history(store)
    data = json.loads(json.dumps(stats.to_json(stats.compute(store, TODAY)),
                                 default=stats.json_default))
    assert {"reviews_per_day", "retention", "items", "forecast", "streak",
            "total_reviews"} <= set(data)
    assert set(data["retention"]) == {"overall", "items"}
    assert set(data["retention"]["overall"]) == {"correct", "total", "rate"}
    assert set(data["retention"]["items"][0]) == {"id", "correct", "total", "rate"}
    assert {"id", "title", "easiness", "interval", "repetitions", "lapses", "due", "leech",
            "failed_variants"} <= set(data["items"][0])
    assert data["forecast"][0] == {"day": "2026-11-25", "due": 1}   # fp, overdue since the 22nd
    assert data["reviews_per_day"][0] == {"day": "2026-11-12", "count": 1, "anki": 0}
    fp = next(item for item in data["items"] if item["id"] == "fp")
    assert fp["failed_variants"][0]["seed"] == 17
    assert fp["failed_variants"][0]["params"] == FP_PARAMS
    assert fp["failed_variants"][0]["last_day"] == "2026-11-20"
    assert fp["due"] == "2026-11-22"   # graded 4 on the 21st after a lapse: interval 1


# -- rendering ---------------------------------------------------------------------------------


def _grid(text: str) -> dict[str, str]:
    """The heatmap's rows by weekday label: one character per week column."""
    rows = {}
    for line in text.splitlines():
        label = line[:3]
        if label in stats.WEEKDAYS and line[3:4] == " " and label not in rows:
            rows[label] = line[4::2]
    return rows


def test_heatmap_grid_months_and_legend(store):
    store.grade("a", 4, when=at(date(2026, 6, 1)))           # one review on the first Monday
    store.grade("b", 5, when=at(TODAY))
    for hour in (10, 11, 12):
        store.grade("b", 4, when=at(TODAY, hour), redrill=True)  # four today: the busiest day
    text = rendered(stats.compute(store, TODAY))
    lines = text.splitlines()
    grid = _grid(text)
    assert list(grid) == list(stats.WEEKDAYS)
    assert grid["Mon"][0] == "░" and grid["Wed"][25] == "█"   # 1 of 4, then 4 of 4
    assert len(grid["Mon"]) == 26 and grid["Mon"][1:] == "·" * 25
    assert len(grid["Thu"]) == 25 and len(grid["Sun"]) == 25  # the rest of this week is ahead
    months = lines[lines.index(next(row for row in lines if row.startswith("Mon "))) - 1]
    # Columns open on Mondays: Jun 1, Jul 6, Aug 3, Sep 7, Oct 5, Nov 2.
    assert [(months.index(m) - 4) // 2 for m in ["Jun", "Jul", "Aug", "Sep", "Oct", "Nov"]] == [
        0, 5, 9, 14, 18, 22]
    legend = next(line for line in lines if "Less" in line)
    assert "Less · ░ ▒ ▓ █ More" in legend and "5 reviews in 26 weeks" in legend


def test_a_first_column_too_close_to_the_next_month_goes_unlabelled(store):
    result = stats.compute(store, date(2026, 12, 23))  # window opens Monday 29 June
    months = next(line for line in rendered(result).splitlines() if "Jul" in line)
    assert "Jun" not in months
    assert months.index("Jul") == 4 + 2 * 1           # Monday 6 July, the second column


def test_render_of_a_new_learner(store):
    text = rendered(stats.compute(store, TODAY))
    for heading in ["Streak", "Reviews per day", "Retention", "Items", "Due forecast"]:
        assert heading in text
    assert "0 days (review today to start one) · 0 reviews in total" in text
    assert "— (n=0)" in text
    assert "Leeches" not in text
    assert set("".join(_grid(text).values())) == {"·"}


@pytest.mark.parametrize("width", [40, 60, 80, 100])
def test_render_fits_the_width(store, width):
    _fp_history(store)
    text = rendered(stats.compute(store, TODAY), width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    assert len(_grid(text)["Mon"]) == min(26, (width - 4) // 2)


@pytest.mark.parametrize(("width", "headers"), [
    (100, ["item", "EF", "interval", "reps", "lapses", "due", "retention"]),
    (68, ["item", "EF", "interval", "reps", "lapses", "due", "retention"]),
    (67, ["item", "EF", "lapses", "due", "retention"]),   # too narrow for every column
])
def test_items_table_columns_by_width(store, width, headers):
    store.grade("a", 4, when=at(ago(1)))
    lines = rendered(stats.compute(store, TODAY), width=width).splitlines()
    assert lines[lines.index("Items") + 1].split() == headers
    row = next(line for line in lines if line.startswith("a "))
    assert "2.50" in row and "100% (n=1)" in row


def test_importing_stats_does_not_import_rich():
    code = "import sys, drill.stats\nprint('rich' in sys.modules)\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
