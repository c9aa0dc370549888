"""What drill expects of the exporters it finds through the `drill.exporters` entry points.

drill never imports an exporter (the built-ins included): the command line loads each class
from its entry point and types it with these protocols. An exporter class has a `name`, the
`suffix` of the file it writes, a static `check_path` that returns the output path or raises
a DrillError before any work starts, and an `export` that writes the file and returns a
summary to print.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from datetime import date
from pathlib import Path
from typing import Any, Protocol, TypedDict

from drill.anki_identity import NoteRecord
from drill.models import Deck

# progress(done, total): called as the cards are built.
ProgressFn = Callable[[int, int], None]


class AnkiSummary(TypedDict):
    """What an Anki export wrote."""

    notes: int
    cards: int
    path: str
    records: list[NoteRecord]  # each note as written, for the database to remember
    note_types: dict[str, dict[str, Any]]  # note type id -> {"fingerprint", "mod"}
    kept: dict[str, int]  # item id -> variant cards kept above those asked for
    retired: int  # notes tagged as retired


class SheetSummary(TypedDict):
    """What a sheet export wrote."""

    sheets: int
    questions: int  # on each sheet
    path: str
    key_path: str | None  # the separate answer key, if any
    seed: int  # the first sheet's
    pass_mark: int | None  # a self-check paper's


class Exporter(Protocol):
    """What every exporter class offers."""

    name: str
    suffix: str

    @staticmethod
    def check_path(path: str | os.PathLike[str]) -> Path:
        """The output path, or a DrillError saying why it will not do."""
        ...


class AnkiExport(Exporter, Protocol):
    """The exporter of an Anki package (entry point `anki`)."""

    def export(
        self,
        decks: list[Deck],
        path: str | os.PathLike[str],
        *,
        variants: int = ...,
        items: list[str] | None = ...,
        history: list[NoteRecord] | None = ...,
        note_types: dict[str, dict[str, Any]] | None = ...,
        retired: AbstractSet[str] = ...,
        now: int | None = ...,
        new_per_day: int = ...,
        progress: ProgressFn | None = ...,
        database: Path | None = ...,
    ) -> AnkiSummary:
        """Write the decks' items to `path` as an Anki package."""
        ...


class SheetExport(Exporter, Protocol):
    """The exporter of printable sheets (entry point `html`)."""

    @staticmethod
    def new_seed() -> int:
        """A fresh sheet seed, for when the learner gives none."""
        ...

    def export(
        self,
        decks: list[Deck],
        path: str | os.PathLike[str],
        *,
        seed: int,
        sheets: int = ...,
        items: list[str] | None = ...,
        answers: str = ...,
        today: date,
        deck_title: str | None = ...,
        selfcheck: bool = ...,
        database: Path | None = ...,
    ) -> SheetSummary:
        """Write the sheets (and their keys) to `path`."""
        ...
