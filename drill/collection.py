"""The learner's collection: the database plus the decks it studies, kept in sync.

Opening a collection loads the built-in deck and the decks the learner added, and
upserts their items into SQLite when their content changed since the last sync.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from drill import clock, loader, variants
from drill.errors import DeckError, UnknownItemError
from drill.models import Deck, Item, Variant
from drill.store import Store


@dataclass
class Collection:
    store: Store
    decks: dict[str, Deck] = field(default_factory=dict)

    def close(self) -> None:
        """Close the database."""
        self.store.close()

    def __enter__(self) -> "Collection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- items -----------------------------------------------------------------------

    def item(self, item_id: str) -> Item:
        """An active item by id."""
        for deck in self.decks.values():
            for item in deck.items:
                if item.id == item_id:
                    return item
        known = ", ".join(i.id for d in self.decks.values() for i in d.items)
        raise UnknownItemError(f"there is no item {item_id!r}; the items are: {known}")

    def items(self, deck: str | None = None) -> list[dict]:
        """Active items with their schedule, in deck order (optionally of one deck)."""
        return self.store.items(self._deck_name(deck))

    def variant(self, item_id: str, seed: int = 0) -> Variant:
        """Variant `seed` of an item, remembered in the database."""
        variant = variants.make(self.item(item_id), seed)
        self.store.save_variant(variant, clock.now())
        return variant

    def status(self, deck: str | None = None) -> dict:
        """Due, new and reviewed-today counts for the current learning day."""
        return self.store.status(self.store.today(), self._deck_name(deck))

    def _deck_name(self, deck: str | None) -> str | None:
        if deck is not None and deck not in self.decks:
            raise DeckError(f"there is no deck {deck!r}; decks: {', '.join(self.decks)}")
        return deck

    # -- syncing ---------------------------------------------------------------------

    def sync(self, deck: Deck) -> dict | None:
        """Upsert a deck's items into the database when they changed; return the counts."""
        rows = [_row(item) for item in deck.items]
        fingerprint = hashlib.sha256(
            json.dumps(rows, sort_keys=True).encode("utf-8")
        ).hexdigest()
        key = f"deck_fingerprint:{deck.name}"
        if self.store.setting(key) == fingerprint:
            return None
        counts = self.store.sync_items(deck.name, rows, clock.now())
        self.store.set_setting(key, fingerprint)
        return counts


def open_collection(db: str | Path | None = None) -> Collection:
    """Open the database and sync the built-in deck and the learner's decks into it."""
    clock.now()  # a malformed DRILL_NOW is reported before anything is opened
    store = Store.open(db)
    try:
        collection = Collection(store)
        for deck in [loader.load_builtin(), *_added_decks(store)]:
            collection.decks[deck.name] = deck
            collection.sync(deck)
    except BaseException:
        store.close()
        raise
    return collection


def _added_decks(store: Store) -> list[Deck]:
    loaded = []
    for name, path in store.added_decks():
        folder = Path(path)
        if not folder.is_dir():
            raise DeckError(
                f"the deck {name!r} was added from {folder}, which is gone; "
                f"put it back or run `drill decks remove {name}`"
            )
        loaded.append(loader.load_deck(folder))
    return loaded


def _row(item: Item) -> dict:
    return {
        "id": item.id,
        "kind": item.kind,
        "title": item.title,
        "position": item.position,
        "tags": list(item.tags),
        "content": item.content(),
    }


# -- the learner's decks -------------------------------------------------------------------


def add_deck(collection: Collection, folder: Path) -> tuple[Deck, dict]:
    """Validate a deck folder, run its code once, register it and sync its items."""
    folder = Path(folder).expanduser().resolve()
    deck = loader.load_deck(folder)
    if deck.name == loader.BUILTIN:
        raise DeckError(f"the name {deck.name!r} belongs to the built-in deck; rename yours in deck.toml")
    problems = loader.validate(deck)
    if problems:
        raise loader.DeckProblems(problems)
    owners = {i.id: d.name for d in collection.decks.values() if d.name != deck.name for i in d.items}
    for item in deck.items:
        if item.id in owners:
            raise DeckError(
                f"{item.folder / 'item.toml'}: the id {item.id!r} is already used by the deck "
                f"{owners[item.id]!r}; give the item another id"
            )
    collection.store.add_deck(deck.name, folder, clock.now())
    collection.decks[deck.name] = deck
    counts = collection.sync(deck) or {"added": 0, "changed": 0, "retired": 0, "restored": 0}
    return deck, counts


def remove_deck(collection: Collection, name: str) -> int:
    """Forget an added deck; its items are retired and their history kept."""
    if name == loader.BUILTIN:
        raise DeckError("the built-in deck cannot be removed")
    if name not in dict(collection.store.added_decks()):
        added = ", ".join(n for n, _ in collection.store.added_decks()) or "none yet"
        raise DeckError(f"there is no added deck {name!r} (added decks: {added})")
    collection.decks.pop(name, None)
    return collection.store.remove_deck(name, clock.now())


def check_deck(folder: Path | None) -> list[loader.Problem]:
    """Every problem in a deck folder (default: the built-in deck), running its code."""
    try:
        deck = loader.load_deck(folder) if folder else loader.load_builtin()
    except loader.DeckProblems as exc:
        return exc.problems
    return loader.validate(deck)
