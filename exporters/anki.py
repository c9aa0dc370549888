"""Export decks to an Anki package (.apkg) that re-imports cleanly, onto a phone too.

How a re-import stays safe (Anki matches what it imports against what it has; its importer
is rslib/src/import_export/package/apkg/import/ in Anki's sources):

* Notes are matched by GUID. Each GUID is `genanki.guid_for("drill", item_id)`: it hangs on
  the item id alone (namespaced so it cannot meet another deck's note), never on field text,
  so fixing a typo updates the note in place and keeps its cards and their scheduling.
* Anki overwrites a note only when the incoming note is newer, and it never removes or
  changes a card it already has. So drill remembers what each export wrote into each note
  (`NoteRecord`, kept in the database's anki_notes table):
  - a note's time is the time its content last changed: when anything the note shows
    (fields, tags, deck, order) differs from the previous export, it gets the export's time,
    always newer than the last; otherwise it keeps its time and Anki sees a duplicate;
  - variant slots once filled stay filled: an export never asks for fewer variant cards
    than before, since a slot emptied later would leave a blank card on the phone;
  - an item that left drill (retired) keeps its note with the text the phone has, tagged
    `drill::retired`, so it no longer looks current.
  Without that memory (`history=None`, as from the library), times come from the content.
  genanki 0.13 writes every note with the package's timestamp; `note_class()` writes each
  note's own.
* Note types keep their ids forever, and their fields and templates are only ever appended
  (anki_notetypes.py; a test holds them against every released version). After an update
  that appends fields, Anki updates the note type only with "Merge note types" ticked on
  import (it then asks for a one-way sync); without it, notes are reported as conflicting
  and nothing changes. Never give a note type a new id: the GUIDs stay, and Anki cannot put
  the same notes under a second note type.
* Anki's importer finds decks by name: every deck is `drill::<deck title>`, and a renamed
  deck in drill is a new deck in Anki (existing cards stay where they are).
* Decks carry drill's own preset (anki_package.py): burying siblings, so that one variant
  of an item shows per day. Anki takes it with "Import any deck presets" ticked.
* Note types carry a time of their own, remembered like the notes': a note type whose
  templates or CSS changed gets the export's time, so Anki takes the new styling (a merge
  import stamps the phone's copy with that import's time, so a fixed date would not do).
* Never a file named `collection.apkg`: Anki takes that name for a full backup and would
  replace the learner's whole collection with it.

The package is written without reading the clock: the same decks, history and `now` give
the same file, byte for byte.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drill.anki_identity import MAX_VARIANTS, NoteRecord, note_guid, slot_seeds
from drill.models import Deck, Item
from drill.plugins import AnkiExport, AnkiSummary, ProgressFn
from drill.session import DEFAULT_NEW_PER_DAY

from . import ExportError, select_items
from .anki_fields import code_fields, numeric_fields, recall_fields, variant_slot
from .anki_notetypes import (
    FORMAT_REVISED,
    code_model,
    note_class,
    numeric_model,
    recall_model,
)
from .anki_package import write_package

ROOT = "drill"
RETIRED_TAG = f"{ROOT}::retired"

PACKAGE_NAME_REFUSED = "collection.apkg"

_SLOT_FIELD = re.compile(r"[QA]\d+")


class AnkiExporter:
    """Write decks to an Anki .apkg file: one note per item, its variants as sibling cards.

    Found through the entry point `anki`; drill.plugins.AnkiExport is what drill expects of it.
    """

    name = "anki"
    suffix = ".apkg"

    @staticmethod
    def check_path(path: str | os.PathLike[str]) -> Path:
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

    def export(
        self,
        decks: list[Deck],
        path: str | os.PathLike[str],
        *,
        variants: int = 5,
        items: list[str] | None = None,
        history: list[NoteRecord] | None = None,
        note_types: dict[str, dict[str, Any]] | None = None,
        retired: AbstractSet[str] = frozenset(),
        now: int | None = None,
        new_per_day: int = DEFAULT_NEW_PER_DAY,
        progress: ProgressFn | None = None,
        database: Path | None = None,
    ) -> AnkiSummary:
        """Write the decks' items to `path`.

        `history` is what earlier exports wrote (a NoteRecord per note), `note_types` what
        they wrote of each note type (id -> fingerprint, mod), `retired` the ids of items that
        left drill, and `now` the export's time in epoch seconds; all come from the database.
        Returns {"notes", "cards", "path", "note_types" (as `note_types`, for this export),
        "records" (the NoteRecords written), "kept" (item id -> variant cards kept above
        `variants`), "retired" (notes marked retired)}. `database` (the learner's drill
        database) is refused as `path`, under any name.
        """
        import genanki

        from drill import parts

        target = self.check_path(path)
        if database is not None:
            from drill.database import refuse_own_files

            refuse_own_files(database, target, "the Anki package")
        parts.sweep(target.parent)
        count = check_variants(variants)
        chosen = select_items(decks, items)
        earlier = {(record.item_id, record.kind): record for record in history or ()}
        exported = {record.item_id for record in earlier.values()}
        make_note = note_class()
        models = {"numeric": numeric_model(), "code": code_model(), "recall": recall_model()}
        written_types = {str(model.model_id): _stamp(model, (note_types or {}).get(
            str(model.model_id)), now) for model in models.values()}
        names = {kind: [f["name"] for f in model.fields] for kind, model in models.items()}

        plan: list[tuple[str, Item, list[int], NoteRecord | None]] = []
        kept: dict[str, int] = {}
        for deck, item in chosen:
            before = earlier.get((item.id, item.kind))
            wanted = max(count, before.slots if before else 1)
            seeds = variant_seeds(item, wanted)
            if before is not None and before.slots > count and len(seeds) > count:
                kept[item.id] = len(seeds)
            plan.append((deck_name(deck, decks), item, seeds, before))
        total = sum(len(seeds) for _, _, seeds, _ in plan)
        done = 0
        if progress is not None:
            progress(0, total)

        records: list[NoteRecord] = []
        for anki_deck, item, seeds, before in plan:
            slots = []
            for seed in seeds:
                if seed or item.kind == "numeric":
                    slots.append(variant_slot(item, seed))
                done += 1
                if progress is not None:
                    progress(done, total)
            if item.kind == "numeric":
                values = numeric_fields(item, slots)
            elif item.kind == "code":
                values = code_fields(item, slots)
            else:
                values = recall_fields(item, slots)
            fields = _keep_filled(dict(zip(names[item.kind], values)), item.kind, before)
            if before is not None:
                guid = before.guid
            elif item.id in exported:  # its kind changed: a new note, the old one retires
                guid = note_guid(item.id, item.kind)
            else:
                guid = note_guid(item.id)
            records.append(_record(item.id, item.kind, guid, anki_deck, fields, note_tags(item),
                                   item.position, before, now))

        marked = 0
        active = {(item.id, item.kind) for _, item in chosen}
        changed_kind = {item.id for _, item in chosen} & exported
        for key, before in sorted(earlier.items(), key=lambda pair: (pair[1].deck, pair[0])):
            gone = items is None and before.item_id in retired
            if key not in active and (gone or before.item_id in changed_kind):
                tags = list(dict.fromkeys([*before.tags, RETIRED_TAG]))
                records.append(_record(before.item_id, before.kind, before.guid, before.deck,
                                       before.fields, tags, before.due, before, now))
                marked += 1

        anki_decks: dict[str, genanki.Deck] = {}
        descriptions = {deck_name(deck, decks): deck_description(deck) for deck in decks}
        for record in records:
            package_deck = anki_decks.get(record.deck)
            if package_deck is None:
                package_deck = anki_decks[record.deck] = genanki.Deck(
                    deck_id(record.deck), record.deck,
                    description=descriptions.get(record.deck, ""),
                )
            package_deck.add_note(make_note(
                model=models[record.kind],
                fields=[record.fields.get(name, "") for name in names[record.kind]],
                sort_field=record.item_id,
                tags=record.tags,
                guid=record.guid,
                due=record.due,
                mod=record.mod,
            ))
        newest = max([FORMAT_REVISED, *(r.mod for r in records),
                      *(t["mod"] for t in written_types.values())])
        write_package(genanki.Package(list(anki_decks.values())), target, newest,
                      new_per_day=new_per_day)
        cards = sum(record.slots for record in records)
        return {"notes": len(records), "cards": cards, "path": str(target), "records": records,
                "note_types": written_types, "kept": kept, "retired": marked}


def _stamp(model: Any, before: dict[str, Any] | None, now: int | None) -> dict[str, Any]:
    """Give a note type its time: the previous one if its templates and CSS are the same,
    else a newer one (Anki takes a note type only when it is newer than its own copy)."""
    shown = json.dumps([model.name, model.fields, model.templates, model.css], sort_keys=True)
    fingerprint = hashlib.sha256(shown.encode("utf-8")).hexdigest()
    if before is not None and before["fingerprint"] == fingerprint:
        model.mod = before["mod"]
    elif now is not None:
        model.mod = max(now, FORMAT_REVISED, before["mod"] + 1 if before is not None else 0)
    return {"fingerprint": fingerprint, "mod": model.mod}


def _keep_filled(fields: dict[str, str], kind: str,
                 before: NoteRecord | None) -> dict[str, str]:
    """The fields, with any variant slot the previous export filled and this one cannot
    (its generator is gone) keeping its old text: an emptied slot is a blank card."""
    if before is None or before.kind != kind:
        return fields
    for name, old in before.fields.items():
        if _SLOT_FIELD.fullmatch(name) and old and not fields.get(name) and name in fields:
            fields[name] = old
    return fields


def _record(item_id: str, kind: str, guid: str, deck: str, fields: dict[str, str],
            tags: list[str], due: int, before: NoteRecord | None, now: int | None) -> NoteRecord:
    """The note's record: its fingerprint, and a time newer than before when it changed."""
    shown = json.dumps([kind, deck, fields, sorted(tags), due], sort_keys=True)
    fingerprint = hashlib.sha256(shown.encode("utf-8")).hexdigest()
    if before is not None and before.fingerprint == fingerprint:
        mod = before.mod
    elif now is None:
        # no memory of earlier exports: a stable time from the content, within a day
        mod = FORMAT_REVISED + int(fingerprint[:8], 16) % 86_400
    else:
        mod = max(now, FORMAT_REVISED, before.mod + 1 if before is not None else 0)
    slots = sum(1 for name, value in fields.items() if name.startswith("Q") and value)
    if kind != "numeric":
        slots += 1  # the item's own card
    return NoteRecord(item_id=item_id, kind=kind, guid=guid, deck=deck, slots=max(slots, 1),
                      mod=mod, fingerprint=fingerprint, fields=fields, tags=tags, due=due)


# -- checks --------------------------------------------------------------------------------


def check_variants(variants: object) -> int:
    """The number of variants per numeric item: a whole number from 1 to MAX_VARIANTS."""
    if isinstance(variants, bool) or not isinstance(variants, int) or not 1 <= variants <= MAX_VARIANTS:
        raise ExportError(
            f"variants must be a whole number from 1 to {MAX_VARIANTS}, got {variants!r}; "
            f"ask for {MAX_VARIANTS} or fewer"
        )
    return variants


# -- identity ------------------------------------------------------------------------------


def deck_id(name: str) -> int:
    """The Anki deck id for a deck name (Anki's importer matches decks by name)."""
    digest = hashlib.sha256(f"drill deck:{name}".encode()).digest()
    return 1_000_000_000 + int.from_bytes(digest[:8], "big") % 9_000_000_000


def deck_name(deck: Deck, decks: Sequence[Deck] = ()) -> str:
    """The Anki deck name, `drill::<title>`; with the drill deck's name added when another
    of `decks` has the same title."""
    name = _titled(deck)
    if any(other.name != deck.name and _titled(other) == name for other in decks):
        name += f" ({deck.name})"
    return name


def _titled(deck: Deck) -> str:
    return f"{ROOT}::{deck.title.replace('::', ':').strip()}"


def deck_description(deck: Deck) -> str:
    """The deck's description: what it is, and how updates keep progress."""
    return (
        f"<p>{html.escape(deck.description)}</p>"
        "<p>Exported by drill. Its deck options bury sibling cards, so one variant of each "
        "item shows per day (import with \"Import any deck presets\" ticked). Re-import a "
        "newer export to update the cards in place: your progress is kept.</p>"
    )


def variant_seeds(item: Item, count: int) -> list[int]:
    """The seeds of an item's `count` variant cards ([0] without a generator)."""
    return [0] if item.generator is None else slot_seeds(item.id, count)


def note_tags(item: Item) -> list[str]:
    """The item's topic tags and its kind, as Anki tags under `drill::` (no spaces)."""
    tags = [f"{ROOT}::{tag.replace(' ', '_')}" for tag in item.tags]
    tags.append(f"{ROOT}::kind::{item.kind}")
    return list(dict.fromkeys(tags))


if TYPE_CHECKING:  # the type checker holds the class to what drill expects of it
    _EXPORTER: type[AnkiExport] = AnkiExporter
