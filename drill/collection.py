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
from drill.errors import DeckError, StoreError, UnknownItemError
from drill.models import Deck, Item, Variant
from drill.store import Store


@dataclass
class Collection:
    store: Store
    decks: dict[str, Deck] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # added decks that could not be loaded
    _index: dict | None = field(default=None, repr=False)

    def close(self) -> None:
        """Close the database."""
        self.store.close()

    def __enter__(self) -> "Collection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- items -----------------------------------------------------------------------

    def item(self, item_id: str) -> Item:
        """An active item by id: from its deck, or from the database's copy of its text."""
        if self._index is None:
            self._index = {i.id: i for d in self.decks.values() for i in d.items}
        found = self._index.get(item_id)
        if found is None:
            found = self.store.stored_item(item_id)  # a deck not loaded here: text only
        if found is None:
            known = ", ".join(self._index)
            raise UnknownItemError(f"there is no item {item_id!r}; the items are: {known}")
        return found

    def items(self, deck: str | None = None) -> list[dict]:
        """Active items with their schedule, in deck order (optionally of one deck)."""
        return self.store.items(self.deck_name(deck))

    def variant(self, item_id: str, seed: int = 0) -> Variant:
        """Variant `seed` of an item, remembered in the database when it can be written."""
        variant = variants.make(self.item(item_id), seed)
        try:
            self.store.save_variant(variant, clock.now())
        except StoreError:
            pass  # a read-only database can still show variants; they are pure functions of the seed
        return variant

    def status(self, deck: str | None = None) -> dict:
        """Due, new and reviewed-today counts for the current learning day."""
        return self.store.status(self.store.today(), self.deck_name(deck))

    def deck_name(self, deck: str | None) -> str | None:
        """`deck` when it names a loaded deck (None stays None); anything else is an error."""
        if deck is not None and deck not in self.decks:
            raise DeckError(f"there is no deck {deck!r}; decks: {', '.join(self.decks)}")
        return deck

    # -- syncing ---------------------------------------------------------------------

    def sync(self, deck: Deck) -> dict | None:
        """Upsert a deck's items into the database when they changed; return the counts.

        A read-only database keeps its stored copy: the deck is still shown from its folder.
        """
        if self.store.read_only is not None:
            return None
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

    def resync(self) -> None:
        """Write every loaded deck's items into the database again, changed or not."""
        for deck in self.decks.values():
            self.store.delete_setting(f"deck_fingerprint:{deck.name}")
            self.sync(deck)

    def unsync(self, deck_name: str) -> None:
        """Retire a deck's items while it cannot be loaded; the next good load restores them."""
        key = f"deck_fingerprint:{deck_name}"
        if self.store.read_only is None and self.store.setting(key) is not None:
            self.store.sync_items(deck_name, [], clock.now())
            self.store.delete_setting(key)


def open_collection(db: str | Path | None = None) -> Collection:
    """Open the database and sync the built-in deck and the learner's decks into it."""
    clock.now()  # a malformed DRILL_NOW is reported before anything is opened
    store = Store.open(db)
    try:
        collection = Collection(store)
        added, collection.problems, broken = _added_decks(store)
        for deck in [loader.load_builtin(), *added]:
            collection.decks[deck.name] = deck
            collection._index = None
            collection.sync(deck)
        for name in broken:  # out of today's queue until it loads again; history stays
            collection.unsync(name)
    except BaseException:
        store.close()
        raise
    return collection


def _added_decks(store: Store) -> tuple[list[Deck], list[str], list[str]]:
    """The learner's decks that load, and a message for each that does not.

    A deck that fails to load is left out (its items keep their schedule and history),
    so one broken folder never locks the learner out of everything else.
    """
    loaded, problems, broken = [], [], []
    for name, path in store.added_decks():
        folder = Path(path)
        if not folder.is_dir():
            problems.append(f"the deck {name!r} was added from {folder}, which is gone; "
                            f"put it back or run `drill decks remove {name}`")
            broken.append(name)
            continue
        try:
            loaded.append(loader.load_deck(folder))
        except DeckError as exc:
            problems.append(f"the deck {name!r} has a problem: {exc}; fix it or run "
                            f"`drill decks remove {name}`")
            broken.append(name)
    return loaded, problems, broken


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
    try:
        folder = Path(folder).expanduser().resolve()
    except (RuntimeError, OSError) as exc:  # a loop of symbolic links, a path too long
        raise DeckError(f"cannot follow {folder} ({exc}); pass the deck's real folder") from None
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
    collection._index = None
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
    collection._index = None
    return collection.store.remove_deck(name, clock.now())


def check_deck(folder: Path | None) -> list[loader.Problem]:
    """Every problem in a deck folder (default: the built-in deck), running its code."""
    try:
        deck = loader.load_deck(folder) if folder else loader.load_builtin()
    except loader.DeckProblems as exc:
        return exc.problems
    return loader.validate(deck)
