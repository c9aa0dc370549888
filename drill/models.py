"""Plain data shared by the library modules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

KINDS = ("numeric", "code", "recall")


@dataclass(frozen=True)
class Tolerance:
    rtol: float = 1e-6
    atol: float = 1e-9


@dataclass(frozen=True)
class Item:
    """One deck item as written by its author."""

    id: str
    kind: str
    title: str
    tags: tuple[str, ...]
    prompt: str
    answer: str
    explanation: str
    insight: str
    deck: str
    position: int
    folder: Path
    tolerance: Tolerance = Tolerance()
    value: Any = None
    task: str | None = None
    functions: tuple[str, ...] = ()
    starter: str | None = None
    reference: str | None = None
    checklist: tuple[str, ...] = ()  # the model answer's key points, for honest self-marking
    # generate(seed): deck code, so its result is checked (drill.variants) before use
    generator: Callable[[int], object] | None = field(default=None, compare=False, repr=False)

    def content(self) -> dict[str, Any]:
        """The item's learner-visible content, as stored in the database."""
        return {
            "prompt": self.prompt,
            "answer": self.answer,
            "explanation": self.explanation,
            "insight": self.insight,
            "value": self.value,
            "task": self.task,
            "functions": list(self.functions),
            "starter": self.starter,
            "reference": self.reference,
            "checklist": list(self.checklist),
            "tolerance": {"rtol": self.tolerance.rtol, "atol": self.tolerance.atol},
        }


@dataclass(frozen=True)
class Deck:
    name: str
    title: str
    description: str
    folder: Path
    items: tuple[Item, ...]
    builtin: bool = False


@dataclass(frozen=True)
class Variant:
    """One concrete version of an item: variant 0 is the self-check's own."""

    item_id: str
    seed: int
    mode: str  # how it is answered: numeric, code or recall
    prompt: str
    answer: Any  # the value for numeric variants, the answer text otherwise
    answer_text: str
    solution: str
    params: dict[str, Any]
    tolerance: Tolerance


@dataclass(frozen=True)
class Card:
    """An item's schedule: SM-2 state in thousandths, the due learning day, lapses."""

    item_id: str
    easiness_milli: int = 2500
    interval: int = 0
    repetitions: int = 0
    due: date | None = None
    lapses: int = 0
    last_seed: int | None = None

    @property
    def is_new(self) -> bool:
        return self.due is None


@dataclass(frozen=True)
class Graded:
    """A recorded grade: the card after it, the review's id, and whether it was stale (the
    card had been graded in another drill since it was handed out, so it counted as a
    re-drill)."""

    card: Card
    review_id: int
    stale: bool = False
