"""The daily review, without any user interface: the queue, variants, grades, re-drill, undo.

Order: due cards first (most overdue first), then new items up to the daily new limit. An
item graded below 4 comes back at the end of the session until it is graded 4 or more;
those repeats are logged as re-drills and do not move the SM-2 schedule. Every grade is
committed before the next card is handed out.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from drill import clock, variants
from drill.errors import DrillError
from drill.models import Graded, Item, Variant

if TYPE_CHECKING:
    from drill.collection import Collection
    from drill.store import DueKey, Store

DEFAULT_NEW_PER_DAY = 6
REDRILL_BELOW = 4  # SM-2's step 7: repeat items graded below 4 until they reach 4
SLOW_ANSWER_S = 120  # a right answer slower than this suggests grade 3, not 4
MAX_SEED = 999_999


class Queue:
    """Ids of the cards a session still has to review, in order: the due cards (most
    overdue first), then new items. The due cards are read from the database a page at a
    time as the session reaches them, so a session starts at once however many are due;
    a card graded elsewhere meanwhile is simply not read. For the session it is a deque."""

    PAGE = 50

    def __init__(self, store: Store, today: date, fresh: list[str], limit: int | None = None,
                 page: int = PAGE) -> None:
        self._store, self._today, self._page = store, today, page
        self._ready: deque[str] = deque()  # read, or put back, and not yet taken
        self._after: DueKey | None = None  # the key of the last due card read
        self._unread = store.due_count(today)  # due cards not read yet (fewer, if graded elsewhere)
        self._fresh = deque(fresh)
        self._room = limit  # how many more may still be read (None: no limit)

    def _fill(self) -> None:
        """Read the next page (or the new items) when nothing read is waiting."""
        while not self._ready and self._room != 0 and (self._unread or self._fresh):
            count = self._page if self._room is None else min(self._page, self._room)
            if self._unread:
                rows = self._store.due_page(self._today, self._after, count)
                # A short page means the end (some may have been graded elsewhere meanwhile).
                self._unread = 0 if len(rows) < count else max(0, self._unread - len(rows))
                if rows:
                    self._after = rows[-1][1]
                ids = [item_id for item_id, _ in rows]
            else:
                ids = [self._fresh.popleft() for _ in range(min(count, len(self._fresh)))]
            self._ready.extend(ids)
            if self._room is not None:
                self._room -= len(ids)

    def _waiting(self) -> int:
        """Cards not read yet that this session will still hand out."""
        due = self._unread if self._room is None else min(self._unread, self._room)
        fresh = len(self._fresh) if self._room is None else min(len(self._fresh), self._room - due)
        return due + fresh

    def __len__(self) -> int:
        return len(self._ready) + self._waiting()

    def __bool__(self) -> bool:
        self._fill()
        return bool(self._ready)

    def __getitem__(self, index: int) -> str:
        if index != 0:
            raise IndexError("only the first card of the queue can be looked at")
        self._fill()
        return self._ready[0]

    def __iter__(self) -> Iterator[str]:
        """Every id still to come (this reads all the remaining pages)."""
        everything: list[str] = []
        while self:
            everything.extend(self._ready)
            self._ready.clear()
        self._ready.extend(everything)
        return iter(everything)

    def __contains__(self, item_id: str) -> bool:
        if item_id in self._ready or (item_id in self._fresh and self._waiting()):
            return True
        return bool(self._unread) and self._store.is_due_after(self._today, item_id, self._after)

    def popleft(self) -> str:
        self._fill()
        return self._ready.popleft()

    def remove(self, item_id: str) -> None:
        self._fill()
        self._ready.remove(item_id)

    def appendleft(self, item_id: str) -> None:
        self._ready.appendleft(item_id)


@dataclass(frozen=True)
class Card:
    """One card handed to the learner: the item, the variant to show, and why it is here."""

    item: Item
    variant: Variant
    redrill: bool
    position: int  # 1-based place in this session
    total: int  # cards known so far (grows with re-drills)


@dataclass
class Session:
    collection: Collection
    queue: deque[str] | Queue = field(default_factory=deque)  # item ids still to review for the schedule
    redrills: deque[str] = field(default_factory=deque)  # item ids to repeat today
    started: datetime = field(default_factory=clock.now)
    time_box: timedelta | None = None
    graded: list[dict[str, Any]] = field(default_factory=list)  # this session's grades, oldest first
    handed_out: int = 0  # the newest review id when the queue was built: later grades of a
    # queued card given elsewhere make this session's grade of it a re-drill
    _rounds: dict[str, int] = field(default_factory=dict)  # item id -> re-drill round, for fresh variants
    _served: int = 0

    # -- the queue -------------------------------------------------------------------

    def next(self) -> Card | None:
        """The next card, or None when the session is done (or its time box ran out)."""
        if self.time_box is not None and clock.now() - self.started >= self.time_box:
            return None
        if self.queue:
            item_id, redrill = self.queue[0], False
        elif self.redrills:
            item_id, redrill = self.redrills[0], True
        else:
            return None
        item = self.collection.item(item_id)
        card = self.collection.store.card(item_id)
        seed = pick_seed(item, self.collection.store.today(), card.last_seed,
                         self._rounds.get(item_id, 0) if redrill else 0)
        variant = variants.make(item, seed)  # stored with its grade, in the same transaction
        self._served += 1
        return Card(item, variant, redrill, self._served, self._served - 1 + self.remaining())

    def remaining(self) -> int:
        """Cards still waiting, re-drills included."""
        return len(self.queue) + len(self.redrills)

    # -- answers ---------------------------------------------------------------------

    def grade(self, card: Card, quality: int, *, answer: str | None = None,
              correct: bool | None = None, response_ms: int | None = None) -> Graded:
        """Record a grade (committed before this returns) and move the card along the queue.

        Returns the store's Graded; its `stale` says the card had been graded in another
        drill since this session's queue was built, so this grade was logged as a re-drill.
        """
        item_id = card.item.id
        graded = self.collection.store.grade(
            item_id, quality, when=clock.now(), seed=card.variant.seed, answer=answer,
            correct=correct, response_ms=response_ms, redrill=card.redrill, variant=card.variant,
            since=self.handed_out, own=frozenset(g["review_id"] for g in self.graded),
        )
        self._take(card)
        if quality < REDRILL_BELOW:
            self.redrills.append(item_id)
            self._rounds[item_id] = self._rounds.get(item_id, 0) + 1
        self.graded.append({"item_id": item_id, "quality": quality, "correct": correct,
                            "redrill": card.redrill or graded.stale, "seed": card.variant.seed,
                            "review_id": graded.review_id})
        return graded

    def skip(self, card: Card) -> date:
        """Bury the card until tomorrow; it leaves this session."""
        self._take(card)
        if card.item.id in self.redrills:
            self.redrills.remove(card.item.id)
        return self.collection.store.bury(card.item.id, self.collection.store.today())

    def undo(self) -> dict[str, Any] | None:
        """Undo this session's latest grade that still counts (never another drill's) and
        queue its item again; None when the session has none left."""
        undone = None
        while self.graded and undone is None:
            mine = self.graded.pop()
            undone = self.collection.store.undo_last(clock.now(), mine["review_id"])
        if undone is None:
            return None
        item_id = undone["item_id"]
        # The item comes back exactly once: drop any re-drill or queue place it still has.
        for waiting in (self.queue, self.redrills):
            while item_id in waiting:
                waiting.remove(item_id)
        if undone["redrill"]:
            self.redrills.appendleft(item_id)
        else:
            self.queue.appendleft(item_id)
        return undone

    def _take(self, card: Card) -> None:
        source = self.redrills if card.redrill else self.queue
        if source and source[0] == card.item.id:
            source.popleft()
        elif card.item.id in source:
            source.remove(card.item.id)

    # -- the end ---------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """Reviewed, correct, re-drilled, minutes spent, next due day, streak."""
        store = self.collection.store
        scheduled = [g for g in self.graded if not g["redrill"]]
        checked = [g for g in scheduled if g["correct"] is not None]
        return {
            "reviewed": len(scheduled),
            "correct": sum(1 for g in checked if g["correct"]),
            "checked": len(checked),
            "redrilled": sum(1 for g in self.graded if g["redrill"]),
            "seconds": int((clock.now() - self.started).total_seconds()),
            "next_due": store.next_due(store.today()),
            "streak": store.streak(store.today()),
            "left": self.remaining(),
        }


def start(collection: Collection, *, new_limit: int | None = None, limit: int | None = None,
          item: str | None = None, time_box_minutes: float | None = None) -> Session:
    """Build today's session: due cards, new items up to the daily limit, pending re-drills."""
    store = collection.store
    store.require_writable("record grades")
    today = store.today()
    if new_limit is None:
        new_limit = int(store.setting("new_per_day", str(DEFAULT_NEW_PER_DAY)))
    if item is not None:
        collection.item(item)  # an unknown id is an error, not an empty session
    handed_out = store.latest_review()
    fresh = store.new_items(today, max(0, new_limit - store.new_today(today)), only=item)
    if item is None:
        queue: Queue | deque[str] = Queue(store, today, fresh, limit)
    else:
        due = [item] if store.is_due_after(today, item, None) else []
        queue = deque((due + fresh)[:limit])
    pending = [i for i in store.pending_redrills(today, REDRILL_BELOW)
               if (item is None or i == item) and i not in queue]
    box = timedelta(minutes=time_box_minutes) if time_box_minutes else None
    return Session(collection, queue, deque(pending), time_box=box, handed_out=handed_out)


def pick_seed(item: Item, today: date, last_seed: int | None, round_: int = 0) -> int:
    """Which variant to show today: fresh each day, never the one shown last time.

    Numeric items start with the self-check's own version (seed 0), then draw a new variant
    each day. Recall and code items with numeric variants alternate between their own
    question and a numeric variant. A re-drill round of a numeric item draws another one.
    """
    if not variants.has_variants(item):
        return 0
    drawn = 1 + _stable(f"{item.id}:{today.isoformat()}:{round_}") % MAX_SEED
    if drawn == last_seed:
        drawn = drawn % MAX_SEED + 1
    if item.kind == "numeric":
        if last_seed is None:
            return 0
        return drawn
    if round_:  # re-drill the same question
        return last_seed if last_seed is not None else 0
    return drawn if last_seed == 0 else 0


def suggest_grade(kind: str, correct: bool | None, seconds: float, tries: int = 1) -> int | None:
    """A default grade: right -> 4 (3 when slow or on a second try), wrong -> 1; recall: none."""
    if correct is None:
        return None
    if not correct:
        return 1
    if tries > 1 or seconds > SLOW_ANSWER_S:
        return 3
    return 4


def _stable(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def undo_last(collection: Collection) -> dict[str, Any]:
    """Undo the latest grade outside a session (`drill undo`)."""
    undone = collection.store.undo_last(clock.now())
    if undone is None:
        raise DrillError("there is no grade to undo")
    return undone
