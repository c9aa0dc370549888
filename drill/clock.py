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
        written = datetime.fromisoformat(raw)
    except ValueError:
        raise ClockError(
            f"{ENV_NOW} is not an ISO 8601 time: {raw!r}; use a form like 2026-11-25T09:30 or unset it"
        ) from None
    # The range applies to the time as written, in its own offset: 1971-01-01T00:00+14:00 is
    # in 1971 though it is still 1970 in UTC. Either way the bounds leave room to convert it
    # (a UTC offset is under a day) and for day arithmetic and forecasts on both sides.
    if not MIN_YEAR <= written.year <= MAX_YEAR:
        raise ClockError(
            f"{ENV_NOW} is an ISO 8601 time outside the years {MIN_YEAR} to {MAX_YEAR}: {raw!r} "
            f"is in the year {written.year}; use a time within them, like 2026-11-25T09:30, or unset it"
        )
    try:
        # A naive time is local time; astimezone() attaches the local offset.
        moment = written.astimezone()
    except (ValueError, OverflowError, OSError):
        raise ClockError(
            f"{ENV_NOW} {raw!r} cannot be read in this computer's time zone; "
            "give it a UTC offset, like 2026-11-25T09:30+00:00, or unset it"
        ) from None
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
