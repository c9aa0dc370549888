"""Reviews done in Anki, brought back into drill's log (`drill import anki FILE`).

drill's notes are found by GUID (the one the export gave each item, see
drill.anki_identity.note_guid) and their first field, the item id. A card's template number
is its variant slot, which gives the seed of the variant it showed. Anki's review log rows
become drill reviews:

* ease 1 / 2 / 3 / 4 (Again, Hard, Good, Easy) is quality 2 / 3 / 4 / 5;
* learning, review and relearning rows are grades; on each learning day the first grade of
  an item moves its card and later ones (Anki's learning steps, a relapse's relearning, a
  second variant) are same-day re-drills, as in drill; a grade given in drill that day wins;
* a filtered deck's rows are grades too, except practice that leaves Anki's schedule alone
  (a filtered deck without rescheduling), which is logged as a re-drill;
* manual reschedules (Set due date, Forget) and FSRS reschedules are not grades: they are
  left out and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drill.errors import DrillError

if TYPE_CHECKING:
    from drill.store import Store

QUALITY = {1: 2, 2: 3, 3: 4, 4: 5}  # Anki's ease -> SM-2 quality
KINDS = {0: "learn", 1: "review", 2: "relearn", 3: "filtered"}  # grades
MANUAL = {4, 5}  # Set due date / Forget, FSRS rescheduling: not grades
FUTURE_SLACK = timedelta(days=1)  # Anki itself refuses ids later than tomorrow


class AnkiImportError(DrillError):
    """The package cannot be imported as it is."""


@dataclass
class Plan:
    """What an import brings: drill reviews ready for the store, and what was left out."""

    reviews: list[dict[str, Any]] = field(default_factory=list)
    manual: int = 0  # manual and FSRS reschedules (rows that are not grades) left out
    notes: int = 0  # drill's notes found in the package


@dataclass
class Imported:
    """What `import_reviews` did: the plan, the store's summary (None when every review in
    the package was in the log already) and the backup taken first (None on a dry run)."""

    plan: Plan
    summary: dict[str, Any] | None
    backup: Path | None


def import_reviews(store: Store, path: Path, now: datetime, *, dry_run: bool = False) -> Imported:
    """Bring the reviews of drill's notes in `path` into the log, backing the database up
    first; with `dry_run`, work everything out and keep nothing."""
    from drill import backups

    plan = plan_import(path, store.item_kinds(), now)
    known = store.anki_review_keys()
    if all((review["anki_card"], review["anki_id"]) in known for review in plan.reviews):
        return Imported(plan, None, None)
    backup = None
    if not dry_run:
        store.require_writable("import reviews")
        backup = backups.automatic(store.conn, store.path, "before-import")
    return Imported(plan, store.import_anki(plan.reviews, dry_run=dry_run), backup)


def plan_import(path: Path, items: dict[str, str], now: datetime) -> Plan:
    """Read `path` and map the reviews of drill's notes onto `items` (id -> kind).

    Refuses, with one line saying what to do: a package without drill's notes, one exported
    without scheduling, and reviews dated in the future.
    """
    from drill.anki_identity import MAX_VARIANTS, note_guid, slot_seeds
    from drill.ankipkg import read_package

    package = read_package(path)
    guids: dict[str, str] = {}
    for item_id in items:
        guids[note_guid(item_id)] = item_id
        for kind in ("numeric", "code", "recall"):
            guids[note_guid(item_id, kind)] = item_id
    ours = {guid: item_id for guid, item_id in guids.items()
            if guid in package.notes and package.notes[guid] == item_id}
    if not ours:
        raise AnkiImportError(
            f"{path.name} holds no notes exported by drill; import the package "
            "`drill export anki` writes into Anki, study, then export that deck from Anki")
    plan = Plan(notes=len(ours))
    mine = [review for review in package.reviews if review.guid in ours]
    if not mine and package.studied_cards == 0:
        raise AnkiImportError(
            f"{path.name} holds no reviews of drill's cards (exported without scheduling, or "
            "not studied yet); in Anki's export dialog tick \"Include scheduling "
            "information\" and export again")
    latest = now + FUTURE_SLACK
    seeds_of: dict[str, list[int]] = {}
    for review in mine:
        moment = datetime.fromtimestamp(review.review_id / 1000, tz=UTC)
        if moment > latest:
            raise AnkiImportError(
                f"{path.name} holds a review dated {moment:%Y-%m-%d %H:%M} UTC, in the future "
                "(now is {:%Y-%m-%d %H:%M}); check the clock of the device that exported it, "
                "then export again".format(now.astimezone(UTC)))
        if review.kind in MANUAL or review.kind not in KINDS or review.ease not in QUALITY:
            plan.manual += 1
            continue
        item_id = ours[review.guid]
        seeds = seeds_of.get(item_id)
        if seeds is None:
            seeds = seeds_of[item_id] = slot_seeds(item_id, MAX_VARIANTS)
        plan.reviews.append({
            "item_id": item_id,
            "seed": seeds[review.ord] if review.ord < len(seeds) else None,
            "anki_id": review.review_id,
            "anki_card": f"{review.guid}:{review.ord}",
            "anki_kind": KINDS[review.kind],
            "reviewed_at": moment,
            "quality": QUALITY[review.ease],
            "correct": review.ease > 1,
            "response_ms": max(review.time_ms, 0),
            "moves": not (review.kind == 3 and review.factor == 0),
        })
    return plan
