"""drill's exporters, found through the `drill.exporters` entry points (built-ins too)."""

from __future__ import annotations

from drill.errors import DrillError, UnknownItemError
from drill.models import Deck, Item


class ExportError(DrillError):
    """The export cannot be written as asked."""


def select_items(decks: list[Deck], wanted: list[str] | None) -> list[tuple[Deck, Item]]:
    """(deck, item) pairs in deck order: every item, or the ones named in `wanted`."""
    pairs = [(deck, item) for deck in decks for item in deck.items]
    if wanted is None:
        if not pairs:
            raise ExportError("there are no items to export; add a deck first")
        return pairs
    wanted = [w.strip() for w in wanted if w.strip()]
    if not wanted:
        raise ExportError("no item ids given; name at least one, e.g. forward-pass")
    known = {item.id for _, item in pairs}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise UnknownItemError(
            f"there is no item {unknown[0]!r}; the items are: {', '.join(i.id for _, i in pairs)}"
        )
    chosen = set(wanted)
    return [(deck, item) for deck, item in pairs if item.id in chosen]
