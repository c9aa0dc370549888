"""How drill's notes are known in Anki, shared by the export and the import of reviews.

A note's GUID hangs on its item id alone, so an edited item updates its note in place; card k
of a numeric note shows the variant of seed `slot_seeds(item_id, MAX_VARIANTS)[k]`; and a
`NoteRecord` is what one export wrote into one note (the database's anki_notes table keeps
the latest), so that the next export knows what the phone already has.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

GUID_NAMESPACE = "drill"
SEED_RANGE = 1_000_000
MAX_VARIANTS = 20  # variant slots in the numeric note type: fixed with its fields


def note_guid(item_id: str, kind: str | None = None) -> str:
    """The note's GUID: from the item id only, so edits update the note in place; with the
    kind too for the new note of an item whose kind changed (Anki cannot move a note to
    another note type by import)."""
    import genanki

    if kind is None:
        return str(genanki.guid_for(GUID_NAMESPACE, item_id))
    return str(genanki.guid_for(GUID_NAMESPACE, item_id, kind))


def slot_seeds(item_id: str, count: int) -> list[int]:
    """Variant 0, then count - 1 seeds drawn from the item's fixed seed (a stable prefix):
    card k of an item's note shows the variant of seed slot_seeds(item_id, 20)[k]."""
    extra = random.Random(f"anki:{item_id}").sample(range(1, SEED_RANGE), MAX_VARIANTS - 1)
    return [0, *extra[:count - 1]]


@dataclass(frozen=True)
class NoteRecord:
    """What an export wrote into one item's note (the database keeps the latest of each)."""

    item_id: str
    kind: str
    guid: str  # the note's GUID in Anki
    deck: str  # the Anki deck name
    slots: int  # variant cards filled (1: the item's own card only)
    mod: int  # the note's modification time in Anki, epoch seconds
    fingerprint: str  # of everything the note shows
    fields: dict[str, str] = field(hash=False)
    tags: list[str] = field(hash=False)
    due: int = 0

    def as_row(self) -> dict[str, Any]:
        """The record as the database stores it."""
        return {"item_id": self.item_id, "kind": self.kind, "guid": self.guid, "deck": self.deck,
                "slots": self.slots, "mod": self.mod, "fingerprint": self.fingerprint,
                "fields": self.fields, "tags": self.tags, "due": self.due}
