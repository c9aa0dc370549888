"""Settings the learner can change with `drill config`, stored in the database."""

from __future__ import annotations

from drill import clock
from drill.errors import DrillError
from drill.store import Store

# name shown to the learner -> (storage key, default, description)
SETTINGS = {
    "day-start": ("day_start", str(clock.DEFAULT_DAY_START),
                  "hour (0-23) a learning day begins"),
    "new-per-day": ("new_per_day", "6", "new items `drill review` introduces per day"),
}


def set_value(store: Store, name: str, raw: str) -> None:
    """Validate and store one setting."""
    key = _key(name)
    if name == "day-start":
        try:
            hour = int(raw)
        except ValueError:
            raise DrillError(f"day-start must be an hour from 0 to 23, got {raw!r}") from None
        raw = str(clock.check_day_start(hour))
    if name == "new-per-day":
        try:
            count = int(raw)
        except ValueError:
            count = -1
        if not 0 <= count <= 1000:
            raise DrillError(f"new-per-day must be a whole number from 0 to 1000, got {raw!r}")
        raw = str(count)
    store.set_setting(key, raw)


def describe(store: Store, name: str | None = None) -> list[str]:
    """`name = value  (what it means)` lines for one setting or all."""
    names = [name] if name else sorted(SETTINGS)
    lines = []
    for each in names:
        key, default, text = SETTINGS[_name(each)]
        lines.append(f"{each} = {store.setting(key, default)}  ({text})")
    return lines


def _name(name: str) -> str:
    if name not in SETTINGS:
        raise DrillError(f"there is no setting {name!r}; settings: {', '.join(sorted(SETTINGS))}")
    return name


def _key(name: str) -> str:
    return SETTINGS[_name(name)][0]
