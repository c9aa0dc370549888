"""The session's queue, read a page at a time, hands out exactly what the whole sorted list
of due cards (then the new items) gave: same cards, same order, same counts."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drill.session import Queue
from drill.store import Store

TODAY = date(2026, 11, 25)
SYNCED = datetime(2026, 1, 1, 9, tzinfo=UTC)
DECKS = {"dl_foundations": 4, "alpha": 5, "beta": 5}


def _row(item_id: str, position: int) -> dict:
    return {"id": item_id, "kind": "recall", "title": item_id, "position": position,
            "tags": [], "content": {"prompt": "?"}}


def make_store(folder: Path, cards: list[tuple]) -> Store:
    """Items in three decks; `cards` gives each (due offset or None, buried, retired)."""
    store = Store.open(folder / "drill.db")
    ids = []
    for deck, count in DECKS.items():
        rows = [_row(f"{deck[:2]}{n}", (n * 7) % count) for n in range(count)]  # shuffled places
        store.sync_items(deck, rows, SYNCED)
        ids += [(deck, row) for row in rows]
    retired: dict[str, list] = {deck: [] for deck in DECKS}
    for (deck, row), (due, buried, gone) in zip(ids, cards):
        store.conn.execute(
            "UPDATE cards SET due = ?, buried_until = ? WHERE item_id = ?",
            [None if due is None else (TODAY + timedelta(days=due)).isoformat(),
             (TODAY + timedelta(days=1)).isoformat() if buried else None, row["id"]])
        if gone:
            retired[deck].append(row["id"])
    for deck, gone in retired.items():
        if gone:
            store.sync_items(deck, [row for d, row in ids if d == deck and row["id"] not in gone],
                             SYNCED)
    return store


cards = st.lists(st.tuples(st.one_of(st.none(), st.integers(-4, 2)), st.booleans(),
                           st.sampled_from([False, False, False, True])), min_size=14, max_size=14)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cards, st.integers(1, 4), st.one_of(st.none(), st.integers(0, 16)), st.integers(0, 3))
def test_paged_queue_equals_the_sorted_list(layout, page, limit, new):
    with tempfile.TemporaryDirectory() as tmp:
        store = make_store(Path(tmp), layout)
        try:
            fresh = store.new_items(TODAY, new)
            expected = (store.due_items(TODAY) + fresh)[:limit]
            queue = Queue(store, TODAY, fresh, limit, page=page)
            assert len(queue) == len(expected)
            # Taken one by one, as a session does, with len() and `in` along the way.
            taken = []
            while queue:
                assert len(queue) == len(expected) - len(taken)
                assert all(item in queue for item in expected[len(taken):])
                taken.append(queue[0])
                queue.popleft()
            assert taken == expected
            assert list(Queue(store, TODAY, fresh, limit, page=page)) == expected
        finally:
            store.close()


def test_a_card_graded_elsewhere_is_not_handed_out_again(tmp_path):
    store = make_store(tmp_path, [(-1, False, False)] * 14)
    queue = Queue(store, TODAY, [], page=2)
    first = queue.popleft()
    later = store.due_items(TODAY)[5]
    store.conn.execute("UPDATE cards SET due = ? WHERE item_id = ?",
                       [(TODAY + timedelta(days=3)).isoformat(), later])  # another drill graded it
    rest = list(queue)
    assert first not in rest and later not in rest and len(rest) == 12
    store.close()


def test_a_card_put_back_comes_first_and_once(tmp_path):
    store = make_store(tmp_path, [(-1, False, False)] * 14)
    queue = Queue(store, TODAY, [], page=3)
    order = store.due_items(TODAY)
    taken = [queue.popleft() for _ in range(4)]
    queue.appendleft(taken[-1])  # an undo in the session
    assert list(queue) == [taken[-1], *order[4:]]
    store.close()
