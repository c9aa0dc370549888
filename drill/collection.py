"""The learner's collection: the database plus the decks it studies, kept in sync.

Opening a collection loads the built-in deck and the decks the learner added, and
upserts their items into SQLite when their content changed since the last sync. An added
deck with Python in it loads only when this user trusted its code as it is now (see
drill/trust.py): the database names the folders, but never vouches for them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from drill import clock, loader, trust, variants
from drill.errors import DeckError, StoreError, UnknownItemError
from drill.models import Deck, Item, Variant
from drill.store import Store


@dataclass
class Collection:
    store: Store
    decks: dict[str, Deck] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # added decks that could not be loaded
    untrusted: dict[str, str] = field(default_factory=dict)  # of those: name -> why its code did not run
    broken: list[str] = field(default_factory=list)  # the names of the decks left out
    _index: dict[str, Item] | None = field(default=None, repr=False)

    def close(self) -> None:
        """Close the database."""
        self.store.close()

    def __enter__(self) -> Collection:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
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

    def items(self, deck: str | None = None) -> list[dict[str, Any]]:
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

    def status(self, deck: str | None = None) -> dict[str, int]:
        """Due, new and reviewed-today counts for the current learning day."""
        return self.store.status(self.store.today(), self.deck_name(deck))

    def deck_name(self, deck: str | None) -> str | None:
        """`deck` when it names a loaded deck (None stays None); anything else is an error."""
        if deck is not None and deck not in self.decks:
            raise DeckError(f"there is no deck {deck!r}; decks: {', '.join(self.decks)}")
        return deck

    # -- syncing ---------------------------------------------------------------------

    def sync(self, deck: Deck) -> dict[str, int] | None:
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
        added, collection.problems, collection.untrusted, broken = _added_decks(store)
        collection.broken = broken
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


def _added_decks(store: Store) -> tuple[list[Deck], list[str], dict[str, str], list[str]]:
    """The learner's decks that load, a message for each that does not, and which of those
    were left out because this user has not trusted their code as it is now.

    A deck that fails to load is left out (its items keep their schedule and history),
    so one broken folder never locks the learner out of everything else.
    """
    loaded, problems, untrusted, broken = [], [], {}, []
    trusted = None  # read only when a deck has code
    for name, path in store.added_decks():
        folder = Path(path)
        if not folder.is_dir():
            problems.append(f"the deck {name!r} was added from {folder}, which is gone; "
                            f"put it back or run `drill decks remove {name}`")
            broken.append(name)
            continue
        try:
            code = trust.scan(folder)
            if code.files:
                if trusted is None:
                    trusted = trust.entries()
                before = trusted.get(str(code.folder))
                if before is None:
                    untrusted[name] = (
                        f"deck {name!r} at {code.folder} was not trusted by you (it came with "
                        f"this database), so its code was not run; run `drill decks add "
                        f"{code.folder}` to review its code and trust it")
                elif before.sha256 != code.sha256:
                    untrusted[name] = (
                        f"deck {name!r} at {code.folder} was left out: its code changed since "
                        f"you trusted it; run `drill decks trust {name}` (or `drill decks add "
                        f"{code.folder}`) to review the change")
                if name in untrusted:
                    problems.append(untrusted[name])
                    broken.append(name)
                    continue
            deck = loader.load_deck(code.folder)
        except DeckError as exc:
            problems.append(f"the deck {name!r} has a problem: {exc}; fix it or run "
                            f"`drill decks remove {name}`")
            broken.append(name)
            continue
        loader.allow_code(code.folder, name, code.hashes())
        loaded.append(deck)
    return loaded, problems, untrusted, broken


def _row(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "title": item.title,
        "position": item.position,
        "tags": list(item.tags),
        "content": item.content(),
    }


# -- the learner's decks -------------------------------------------------------------------


@dataclass(frozen=True)
class DeckReview:
    """A deck folder read and checked without running any of it: what trusting it means."""

    folder: Path
    deck: Deck | None  # None when it does not load
    problems: list[loader.Problem]  # found without running its code
    code: trust.Code
    before: trust.Entry | None  # what this user trusted of the folder, if anything

    @property
    def name(self) -> str:
        return self.deck.name if self.deck else self.folder.name

    @property
    def needs_consent(self) -> bool:
        """True when the deck has code this user has not agreed to run, as it is now."""
        return bool(self.code.files) and (self.before is None or self.before.sha256 != self.code.sha256)

    def describe(self) -> list[str]:
        """The lines to show before asking: the Python files (or what changed), the fingerprint."""
        return trust.describe(self.name, self.code, self.before)

    def sound(self) -> Deck:
        """The deck, when it loaded and nothing is wrong with it (DeckProblems otherwise)."""
        if self.deck is None or self.problems:  # a deck that did not load has its problems
            raise loader.DeckProblems(self.problems)
        return self.deck


def review_deck(folder: Path) -> DeckReview:
    """Read and check a deck folder without running its code: TOML, layout, and that every
    Python file compiles."""
    try:
        folder = Path(folder).expanduser().resolve()
    except (RuntimeError, OSError) as exc:  # a loop of symbolic links, a path too long
        raise DeckError(f"cannot follow {folder} ({exc}); pass the deck's real folder") from None
    try:
        deck, problems = loader.load_deck(folder), []
    except loader.DeckProblems as exc:
        deck, problems = None, list(exc.problems)
    code = trust.scan(folder)
    problems += loader.syntax_problems([folder / f.path for f in code.files],
                                       skip={p.path for p in problems if p.path is not None})
    before = trust.entry(folder) if code.files else None
    return DeckReview(folder, deck, problems, code, before)


def review_new_deck(collection: Collection, folder: Path) -> DeckReview:
    """A deck folder reviewed for adding: sound without running its code, its name and ids free."""
    review = review_deck(folder)
    deck = review.sound()
    if deck.name == loader.BUILTIN:
        raise DeckError(f"the name {deck.name!r} belongs to the built-in deck; rename yours in deck.toml")
    owners = {i.id: d.name for d in collection.decks.values() if d.name != deck.name for i in d.items}
    for item in deck.items:
        if item.id in owners:
            raise DeckError(
                f"{item.folder / 'item.toml'}: the id {item.id!r} is already used by the deck "
                f"{owners[item.id]!r}; give the item another id"
            )
    return review


def review_added_deck(collection: Collection, name: str) -> DeckReview:
    """An added deck's folder reviewed again, to trust its code as it is now."""
    if name == loader.BUILTIN:
        raise DeckError("the built-in deck is part of drill and always trusted")
    added = dict(collection.store.added_decks())
    if name not in added:
        raise DeckError(f"there is no added deck {name!r} (added decks: "
                        f"{', '.join(added) or 'none yet'})")
    review = review_new_deck(collection, Path(added[name]))
    if review.sound().name != name:
        raise DeckError(f"{review.folder / 'deck.toml'} now names the deck {review.sound().name!r}, "
                        f"not {name!r}; put the name back, or `drill decks remove {name}` and add "
                        f"the folder again")
    return review


def add_deck(collection: Collection, review: DeckReview) -> tuple[Deck, dict[str, int]]:
    """Run a reviewed deck's code once (exactly the code reviewed), trust that code, register
    the deck and sync its items. Call it only when the learner agreed (or nothing needs it)."""
    deck, code = review.sound(), review.code
    loader.allow_code(code.folder, deck.name, code.hashes())
    try:
        problems = loader.validate(deck)
        if problems:
            raise loader.DeckProblems(problems)
    except BaseException:
        loader.disallow_code(code.folder)
        raise
    if code.files:
        trust.remember(code)
    collection.store.add_deck(deck.name, code.folder, clock.now())
    collection.decks[deck.name] = deck
    message = collection.untrusted.pop(deck.name, None)
    if message in collection.problems:
        collection.problems.remove(message)
    collection._index = None
    counts = collection.sync(deck) or {"added": 0, "changed": 0, "retired": 0, "restored": 0}
    return deck, counts


def remove_deck(collection: Collection, name: str) -> tuple[int, bool]:
    """Forget an added deck and stop trusting its folder; its items are retired and their
    history kept. Returns the items retired and whether a trust entry was dropped."""
    if name == loader.BUILTIN:
        raise DeckError("the built-in deck cannot be removed")
    added = dict(collection.store.added_decks())
    if name not in added:
        raise DeckError(f"there is no added deck {name!r} (added decks: {', '.join(added) or 'none yet'})")
    collection.decks.pop(name, None)
    collection._index = None
    retired = collection.store.remove_deck(name, clock.now())
    loader.disallow_code(Path(added[name]))
    return retired, trust.forget(Path(added[name]))


def check_deck(review: DeckReview | None, run: bool = True) -> list[loader.Problem]:
    """Every problem in a deck (default: the built-in deck); its code runs only when `run`
    (and only when nothing is wrong without running it)."""
    if review is None:
        return loader.validate(loader.load_builtin())
    if review.problems or not run:
        return review.problems
    deck = review.sound()
    loader.allow_code(review.code.folder, deck.name, review.code.hashes())
    return loader.validate(deck)
