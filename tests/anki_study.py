"""Study in a real Anki collection over several days, and export it every way Anki can.

Days are simulated as Anki's own tests do (rslib/src/scheduler/bury_and_suspend.rs, test
`unbury`): the collection's creation time moves back a day, which makes Anki's "today" one
more. The backend caches its day until the real rollover, so the collection is closed and
reopened after each move. Each answer is given with `answered_at_millis` set to a time on
the simulated day; Anki uses it as the review log id (rslib/src/scheduler/answering/revlog.rs),
so the ids span the days as a learner's would. The last simulated day is today at the latest:
no id lies in the future (Anki's exporter refuses ids later than tomorrow).
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from anki.collection import (
    Collection,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)
from anki.scheduler.v3 import CardAnswer

DAY_SECONDS = 86_400
RATINGS = (CardAnswer.AGAIN, CardAnswer.HARD, CardAnswer.GOOD, CardAnswer.EASY)
RATING_WEIGHTS = (2, 1, 6, 1)  # mostly Good
STUDY_AT = 5 * 3600  # seconds after the day's rollover (4:00 by default): 9:00
GAP_MS = 1_000  # between two answers of a day


def phone_with_drill(folder: Path, apkg: Path) -> Collection:
    """A new collection in `folder` that imported drill's package as Anki's import dialog
    does with "Import any deck presets" and "Merge note types" ticked; its current deck is
    the one drill's decks sit under, so `study` studies them."""
    folder.mkdir(parents=True, exist_ok=True)
    col = Collection(str(folder / "collection.anki2"))
    options = ImportAnkiPackageOptions(with_deck_configs=True, merge_notetypes=True)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=options))
    root = col.decks.id_for_name("drill")
    assert root is not None, "the package has no drill decks"
    col.decks.select(root)
    return col


def study(col: Collection, days: int, *, seed: int = 0, start_days_ago: int | None = None) -> None:
    """Study the current deck on `days` simulated days, the first `start_days_ago` days ago
    (default: `days - 1`, so the last one is today), answering every card Anki gives each
    day with a seeded choice of Again, Hard, Good and Easy, mostly Good.

    Afterwards Anki's today is the real today: the days after the last simulated one have
    passed for the scheduler too.
    """
    if start_days_ago is None:
        start_days_ago = days - 1
    if days < 1 or start_days_ago < days - 1:
        raise ValueError(f"{days} days starting {start_days_ago} days ago would end in the future")
    rng = random.Random(seed)
    today_start = col.sched.day_cutoff - DAY_SECONDS  # the real day's rollover, epoch seconds
    for day in range(days):
        if day:
            _next_day(col)
        days_ago = start_days_ago - day
        clock_ms = _study_time_ms(today_start - days_ago * DAY_SECONDS, days_ago)
        while (queued := col.sched.get_queued_cards(fetch_limit=1).cards):
            card = col.get_card(queued[0].card.id)
            card.start_timer()
            answer = col.sched.build_answer(card=card, states=queued[0].states,
                                            rating=rng.choices(RATINGS, RATING_WEIGHTS)[0])
            answer.answered_at_millis = clock_ms
            answer.milliseconds_taken = rng.randint(2_000, 20_000)
            col.sched.answer_card(answer)
            clock_ms += GAP_MS
    for _ in range(start_days_ago - (days - 1)):
        _next_day(col)


def _next_day(col: Collection) -> None:
    today = col.sched.today
    col.crt -= DAY_SECONDS
    col.close(downgrade=False)
    col.reopen()
    assert col.sched.today == today + 1


def _study_time_ms(day_start: int, days_ago: int) -> int:
    """When the day's first answer is given: 9:00 on a past day; today no later than an
    hour ago, and never before the day's rollover."""
    at = day_start + STUDY_AT
    if days_ago == 0:
        at = max(day_start, min(at, int(time.time()) - 3600))
    return at * 1000


def export_all(col: Collection, folder: Path) -> dict[str, Path]:
    """Export the whole collection in every format a learner could hand to drill:
    "apkg" (current format, with scheduling), "apkg-legacy" ("Support older Anki versions"
    ticked), "colpkg", "colpkg-legacy" and "apkg-nosched" ("Include scheduling information"
    unticked). The collection is open again afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for kind, legacy, scheduling in (("apkg", False, True), ("apkg-legacy", True, True),
                                     ("apkg-nosched", False, False)):
        paths[kind] = folder / f"phone-{kind}.apkg"
        col.export_anki_package(out_path=str(paths[kind]), limit=None, options=ExportAnkiPackageOptions(
            with_scheduling=scheduling, with_deck_configs=scheduling, with_media=True, legacy=legacy))
    for kind, legacy in (("colpkg", False), ("colpkg-legacy", True)):
        paths[kind] = folder / f"phone-{kind}.colpkg"
        col.export_collection_package(str(paths[kind]), include_media=True, legacy=legacy)
        col.reopen()  # exporting a collection package closes the collection
    return paths
