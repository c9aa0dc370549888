import re
from datetime import UTC, date, datetime, timedelta

import pytest

from drill import clock
from drill.errors import ClockError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11-25T09:00:00+00:00", datetime(2026, 11, 25, 9, tzinfo=UTC)),
        ("2026-11-25T09:00:00Z", datetime(2026, 11, 25, 9, tzinfo=UTC)),
        ("2026-11-25 09:00", datetime(2026, 11, 25, 9, tzinfo=UTC)),  # naive = local (UTC here)
        ("2026-11-25", datetime(2026, 11, 25, tzinfo=UTC)),
        ("2026-11-25T23:30:00-05:00", datetime(2026, 11, 26, 4, 30, tzinfo=UTC)),
    ],
)
def test_drill_now_overrides_the_clock(monkeypatch, raw, expected):
    monkeypatch.setenv("DRILL_NOW", raw)
    assert clock.now() == expected
    assert clock.now().tzinfo is not None


@pytest.mark.parametrize("raw", ["yesterday", "2026-13-01", "25/11/2026", "2026-11-25T25:00", "now",
                                 "2026-11-25T09:00+25:00"])
def test_malformed_drill_now_is_a_clear_error(monkeypatch, raw):
    monkeypatch.setenv("DRILL_NOW", raw)
    with pytest.raises(ClockError, match="DRILL_NOW is not an ISO 8601 time: "):
        clock.now()


@pytest.mark.parametrize(("raw", "year"), [
    ("0001-01-01T00:00", 1), ("0001-01-01T02:00+00:00", 1), ("9999-12-20T10:00", 9999),
    ("1970-12-31T23:59-14:00", 1970),  # 1971 in UTC, but as written it is 1970
    ("9001-01-01T00:00+14:00", 9001),
])
def test_out_of_range_drill_now_says_so(monkeypatch, raw, year):
    monkeypatch.setenv("DRILL_NOW", raw)
    with pytest.raises(ClockError, match=re.escape(f"outside the years 1971 to 9000: '{raw}' is in the year {year};")):
        clock.now()


@pytest.mark.parametrize(("raw", "utc"), [
    ("1971-01-01T00:00+14:00", datetime(1970, 12, 31, 10, tzinfo=UTC)),
    ("1971-01-01T00:00+23:59", datetime(1970, 12, 31, 0, 1, tzinfo=UTC)),
    ("1971-01-01T00:00", datetime(1971, 1, 1, tzinfo=UTC)),
    ("9000-12-31T23:59-14:00", datetime(9001, 1, 1, 13, 59, tzinfo=UTC)),
    ("9000-12-31T23:59-23:59", datetime(9001, 1, 1, 23, 58, tzinfo=UTC)),
])
def test_a_time_within_the_years_is_accepted_whatever_its_offset(monkeypatch, raw, utc):
    # The range is the year as written: converting it to UTC may cross into 1970 or 9001.
    monkeypatch.setenv("DRILL_NOW", raw)
    assert clock.now() == utc
    assert clock.learning_day(clock.now()) in (utc.date(), utc.date() - timedelta(days=1))


def test_unset_drill_now_is_the_real_time(monkeypatch):
    monkeypatch.delenv("DRILL_NOW")
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


@pytest.mark.parametrize(
    ("local_time", "day_start", "day"),
    [
        ("2026-11-25T03:59", 4, date(2026, 11, 24)),  # late night counts for the evening before
        ("2026-11-25T04:00", 4, date(2026, 11, 25)),
        ("2026-11-25T23:59", 4, date(2026, 11, 25)),
        ("2026-11-25T00:30", 0, date(2026, 11, 25)),
        ("2026-11-25T00:30", 1, date(2026, 11, 24)),
        ("2026-11-25T22:59", 23, date(2026, 11, 24)),
        ("2026-01-01T02:00", 4, date(2025, 12, 31)),
    ],
)
def test_learning_day_starts_at_the_day_start_hour(local_time, day_start, day):
    assert clock.learning_day(datetime.fromisoformat(local_time), day_start) == day


def test_learning_day_uses_local_time(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    # 03:00 UTC on the 25th is 22:00 on the 24th in New York.
    moment = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    assert clock.learning_day(moment, 4) == date(2026, 11, 24)


@pytest.mark.parametrize("hour", [-1, 24, 4.5, "4", None, True])
def test_bad_day_start_is_refused(hour):
    with pytest.raises(ClockError):
        clock.check_day_start(hour)


def test_today_follows_drill_now(monkeypatch):
    monkeypatch.setenv("DRILL_NOW", "2026-11-26T02:00:00+00:00")
    assert clock.today() == date(2026, 11, 25)
    assert clock.today(day_start=0) == date(2026, 11, 26)
