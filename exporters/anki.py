"""Export decks to an Anki package (.apkg) that re-imports cleanly.

How a re-import stays safe (Anki matches what it imports against what it has):

* Notes are matched by GUID. Each GUID is `genanki.guid_for("drill", item_id)`: it hangs on
  the item id alone (namespaced so it cannot meet another deck's note), never on field text,
  so fixing a typo updates the note in place and keeps its cards and their scheduling.
* Anki overwrites a note only when the incoming note is newer. A note's modification time is
  when its item's content last changed (`changed_at`, from the database), floored at
  FORMAT_REVISED, plus one second per variant slot beyond the first, so raising `--variants`
  counts as a change and fills the new slots. genanki 0.13 writes every note with the
  package's timestamp (`Note.write_to_db(cursor, timestamp, ...)` puts `int(timestamp)` in
  notes.mod and cards.mod); `_note_class()` overrides that method to pass the note's own time.
* Note-type ids are fixed below, and so are field and template ids (`model id * 100 +
  position`). Once imported, a note type's fields and templates are frozen: if an export's
  note type has other fields or templates than the learner's copy (renamed, reordered, added
  or removed), Anki adds a copy of the note type and reports the notes as conflicting instead
  of updating them. Such a change is a deliberate step: give the note type a new id and name,
  bump FORMAT_REVISED, and tell learners in the release notes that they get new notes.
* The deck id is fixed too, but Anki's importer finds decks by name: BUILTIN_DECK_NAME is
  frozen as well (after a rename, existing cards would stay in the old deck).
* Changing only CSS or template wording: bump FORMAT_REVISED. Note types carry it as their
  modification time (so Anki takes the new styling), and it floors every note's time (so
  field HTML written in a new way reaches notes whose content did not change).
* Never a file named `collection.apkg`: Anki takes that name for a full backup and would
  replace the learner's whole collection with it.

The package is written without the clock: the same decks and times give the same file, byte
for byte.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from drill.exporters import ExportError, select_items
from drill.exporters.anki_fields import code_fields, numeric_fields, numeric_slot, recall_fields
from drill.exporters.anki_notetypes import (
    FORMAT_REVISED,
    MAX_VARIANTS,
    code_model,
    note_class,
    numeric_model,
    recall_model,
)
from drill.exporters.anki_package import write_package
from drill.models import Deck, Item

# never change: the deck's id in every export (Anki's importer also matches decks by name)
BUILTIN_DECK_ID = 1748306251

ROOT_DECK = "DL Foundations"
BUILTIN_DECK_NAME = f"{ROOT_DECK}::Self-check"
GUID_NAMESPACE = "drill"

SEED_RANGE = 1_000_000
PACKAGE_NAME_REFUSED = "collection.apkg"

ProgressFn = Callable[[int, int], None]


class AnkiExporter:
    """Write decks to an Anki .apkg file: one note per item, numeric variants as sibling cards."""

    name = "anki"
    suffix = ".apkg"

    def export(
        self,
        decks: list[Deck],
        path,
        *,
        variants: int = 5,
        items: list[str] | None = None,
        changed_at: dict[str, str] | None = None,
        progress: ProgressFn | None = None,
        database: Path | None = None,
    ) -> dict:
        """Write the decks' items to `path`; return {"notes", "cards", "path"}.

        `database` (the learner's drill database) is refused as `path`, under any name.
        """
        import genanki

        from drill import parts

        path = check_path(path)
        if database is not None:
            from drill.store import refuse_own_files

            refuse_own_files(database, path, "the Anki package")
        parts.sweep(path.parent)
        count = check_variants(variants)
        chosen = select_items(decks, items)
        changed_at = changed_at or {}
        make_note = note_class()
        models = {
            "numeric": numeric_model(),
            "code": code_model(),
            "recall": recall_model(),
        }

        plan = [
            (deck, item, variant_seeds(item, count) if item.kind == "numeric" else [0])
            for deck, item in chosen
        ]
        total = sum(len(seeds) for _, _, seeds in plan)
        done = 0
        if progress is not None:
            progress(0, total)

        anki_decks: dict[str, genanki.Deck] = {}
        notes = cards = 0
        newest = FORMAT_REVISED
        for deck, item, seeds in plan:
            anki_deck = anki_decks.get(deck.name)
            if anki_deck is None:
                anki_deck = anki_decks[deck.name] = genanki.Deck(
                    deck_id(deck), deck_name(deck), description=deck_description(deck)
                )
            if item.kind == "numeric":
                slots = []
                for seed in seeds:
                    slots.append(numeric_slot(item, seed))
                    done += 1
                    if progress is not None:
                        progress(done, total)
                values = numeric_fields(item, slots)
            else:
                values = code_fields(item) if item.kind == "code" else recall_fields(item)
                done += 1
                if progress is not None:
                    progress(done, total)
            # one second per extra variant slot: more slots count as a change (see the top)
            mod = note_time(item, changed_at.get(item.id)) + (len(seeds) - 1)
            newest = max(newest, mod)
            note = make_note(
                model=models[item.kind],
                fields=values,
                sort_field=item.id,
                tags=note_tags(item),
                guid=note_guid(item.id),
                due=item.position,
                mod=mod,
            )
            anki_deck.add_note(note)
            notes += 1
            cards += len(seeds)

        write_package(genanki.Package(list(anki_decks.values())), path, newest)
        return {"notes": notes, "cards": cards, "path": str(path)}


# -- checks --------------------------------------------------------------------------------


def check_path(path) -> Path:
    """The output path, refused when Anki would misread it or its folder is missing."""
    path = Path(path)
    if path.name.lower() == PACKAGE_NAME_REFUSED:
        raise ExportError(
            f"refusing to write {path.name}: Anki imports a file of that name as a full backup "
            "that replaces your collection; choose another name, e.g. dl-foundations.apkg"
        )
    if path.suffix.lower() != ".apkg":
        raise ExportError(
            f"{path} does not end in .apkg; Anki imports .apkg files, e.g. dl-foundations.apkg"
        )
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name ending in .apkg")
    parent = path.parent
    if not parent.is_dir():
        raise ExportError(f"the folder {parent} does not exist; create it or write elsewhere")
    return path


def check_variants(variants) -> int:
    """The number of variants per numeric item: a whole number from 1 to MAX_VARIANTS."""
    whole = isinstance(variants, int) and not isinstance(variants, bool)
    if not whole or not 1 <= variants <= MAX_VARIANTS:
        raise ExportError(
            f"variants must be a whole number from 1 to {MAX_VARIANTS}, got {variants!r}; "
            f"ask for {MAX_VARIANTS} or fewer"
        )
    return variants


# -- identity ------------------------------------------------------------------------------


def note_guid(item_id: str) -> str:
    """The note's GUID: from the item id only, so edits update the note in place."""
    import genanki

    return genanki.guid_for(GUID_NAMESPACE, item_id)


def deck_id(deck: Deck) -> int:
    """The Anki deck id: fixed for the built-in deck, from the deck name for the others."""
    if deck.builtin:
        return BUILTIN_DECK_ID
    digest = hashlib.sha256(f"drill deck:{deck.name}".encode("utf-8")).digest()
    return 1_000_000_000 + int.from_bytes(digest[:8], "big") % 9_000_000_000


def deck_name(deck: Deck) -> str:
    """The Anki deck name: the built-in deck under DL Foundations, others under drill."""
    if deck.builtin:
        return BUILTIN_DECK_NAME
    return f"drill::{deck.title.replace('::', ':')}"


def deck_description(deck: Deck) -> str:
    """The deck's description, with the advice to bury siblings."""
    return (
        f"<p>{html.escape(deck.description)}</p>"
        "<p><b>Turn on burying of siblings</b> (deck options, Burying: bury new siblings and "
        "bury review siblings) so that only one variant of each numeric question shows per "
        "day; the other variants wait for later days.</p>"
        "<p>Exported by drill; re-import a newer export to update the cards in place: "
        "your progress is kept.</p>"
    )


def variant_seeds(item: Item, count: int) -> list[int]:
    """Variant 0, then count - 1 seeds drawn from the item's fixed seed (a stable prefix)."""
    if item.generator is None:
        return [0]
    extra = random.Random(f"anki:{item.id}").sample(range(1, SEED_RANGE), MAX_VARIANTS - 1)
    return [0] + extra[: count - 1]


def note_time(item: Item, changed_at: str | None) -> int:
    """When the item's content last changed (epoch seconds), floored at FORMAT_REVISED.

    Without `changed_at`, a stable time derived from the content: the same content always
    gives the same time, within a day after FORMAT_REVISED (an edit may then land earlier
    and not reach Anki, which is why the CLI passes the database's changed_at).
    """
    if changed_at is None:
        payload = json.dumps(item.content(), sort_keys=True, default=str)
        digest = hashlib.sha256(f"{item.id}\n{payload}".encode("utf-8")).digest()
        return FORMAT_REVISED + int.from_bytes(digest[:4], "big") % 86_400
    try:
        moment = datetime.fromisoformat(changed_at)
    except (TypeError, ValueError):
        raise ExportError(
            f"the change time of {item.id!r} is {changed_at!r}, not an ISO 8601 time "
            "like 2026-11-25T09:00:00+00:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(int(moment.timestamp()), FORMAT_REVISED)


def note_tags(item: Item) -> list[str]:
    """The item's topic tags and its kind, as Anki tags (no spaces)."""
    tags = [tag.replace(" ", "_") for tag in item.tags]
    tags.append(f"kind::{item.kind}")
    return list(dict.fromkeys(tags))

