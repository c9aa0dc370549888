"""The one place drill reads the time: now, the learning day, and the day boundary.

`DRILL_NOW` (ISO 8601) overrides the current time everywhere. A time without a UTC
offset is read as local time. A learning day starts at `day_start` o'clock local time
(04:00 by default, as in Anki), so a review at 01:30 counts for the evening before.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta

DEFAULT_DAY_START = 4
ENV_NOW = "DRILL_NOW"
MIN_YEAR, MAX_YEAR = 1971, 9000  # room for day arithmetic and 30-day forecasts either side


def now() -> datetime:
    """The current time as an aware local datetime, or DRILL_NOW when it is set."""
    from drill.errors import ClockError

    raw = os.environ.get(ENV_NOW, "").strip()
    if not raw:
        return datetime.now().astimezone()
    try:
        moment = datetime.fromisoformat(raw)
        # A naive time is local time; astimezone() attaches the local offset.
        moment = moment.astimezone()
    except (ValueError, OverflowError, OSError):
        moment = None
    if moment is None or not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise ClockError(
            f"{ENV_NOW} is not an ISO 8601 time from {MIN_YEAR} to {MAX_YEAR}: {raw!r}; "
            "use a form like 2026-11-25T09:30 or unset it"
        )
    return moment


def check_day_start(hour: object) -> int:
    """Validate a day-start hour (a whole number from 0 to 23) and return it."""
    from drill.errors import ClockError

    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        raise ClockError(f"day-start must be an hour from 0 to 23, got {hour!r}")
    return hour


def learning_day(moment: datetime, day_start: int = DEFAULT_DAY_START) -> date:
    """The learning day a moment belongs to: days begin at `day_start` o'clock local time."""
    local = moment.astimezone() if moment.tzinfo else moment
    return (local - timedelta(hours=check_day_start(day_start))).date()


def today(day_start: int = DEFAULT_DAY_START) -> date:
    """The current learning day."""
    return learning_day(now(), day_start)


def stamp(moment: datetime) -> str:
    """A timestamp for the database: ISO 8601 with its UTC offset, to the second."""
    return moment.isoformat(timespec="seconds")
