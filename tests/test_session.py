"""The review session without a terminal: queue, variants, grades, re-drills, undo, days."""

from datetime import UTC, date, datetime, timedelta

import pytest

from drill import session
from drill.collection import open_collection
from drill.session import pick_seed, suggest_grade

ORDER = ["forward-pass", "relu", "softmax", "sigmoid-range", "mse", "hidden-delta", "chain-rule",
         "learning-rate", "one-hot", "dropout", "target-network", "weight-decay"]


@pytest.fixture
def collection(db_path):
    with open_collection(db_path) as c:
        yield c


def at(monkeypatch, when: str):
    monkeypatch.setenv("DRILL_NOW", when)


def drain(s, quality=4):
    """Grade every card the session hands out with `quality`; return the ids in order."""
    seen = []
    while (card := s.next()) is not None:
        seen.append((card.item.id, card.redrill))
        s.grade(card, quality)
    return seen


def test_new_items_come_in_deck_order_up_to_the_daily_limit(collection):
    s = session.start(collection)
    assert list(s.queue) == ORDER[: session.DEFAULT_NEW_PER_DAY]
    s = session.start(collection, new_limit=3, limit=2)
    assert list(s.queue) == ORDER[:2]


def test_the_new_limit_counts_items_already_started_today(collection):
    s = session.start(collection, new_limit=4)
    drain(s)
    assert list(session.start(collection, new_limit=4).queue) == []
    assert list(session.start(collection, new_limit=6).queue) == ORDER[4:6]


def test_due_cards_come_first_most_overdue_first(collection, monkeypatch):
    drain(session.start(collection, new_limit=3))  # day 1: three items, due on day 2
    at(monkeypatch, "2026-11-26T09:00:00+00:00")
    s = session.start(collection, new_limit=1)
    drain(s)  # day 2: the three again (due in 6 days) plus one new (due on day 3)
    at(monkeypatch, "2026-12-10T09:00:00+00:00")
    s = session.start(collection, new_limit=0)
    # ORDER[3] fell due on 11-27, the first three on 12-02: the most overdue leads.
    assert list(s.queue) == [ORDER[3], *ORDER[:3]]


def test_a_grade_below_4_comes_back_as_a_redrill_that_does_not_move_the_schedule(collection):
    s = session.start(collection, item="mse")
    card = s.next()
    s.grade(card, 2)
    after_first = collection.store.card("mse")
    again = s.next()
    assert again.item.id == "mse" and again.redrill
    s.grade(again, 3)
    third = s.next()
    assert third.redrill
    s.grade(third, 5)
    assert s.next() is None
    assert collection.store.card("mse") == after_first
    summary = s.summary()
    assert (summary["reviewed"], summary["redrilled"]) == (1, 2)


def test_pending_redrills_survive_a_restart(collection):
    s = session.start(collection, new_limit=2)
    s.grade(s.next(), 1)
    resumed = session.start(collection, new_limit=2)
    assert list(resumed.queue) == [ORDER[1]]
    assert list(resumed.redrills) == [ORDER[0]]


def test_undo_puts_the_item_back_and_cancels_its_redrill(collection):
    s = session.start(collection, new_limit=2)
    first = s.next()
    s.grade(first, 1)
    assert list(s.redrills) == [first.item.id]
    undone = s.undo()
    assert undone["item_id"] == first.item.id
    assert list(s.redrills) == []
    assert s.next().item.id == first.item.id
    assert collection.store.card(first.item.id).is_new


def test_skip_buries_until_tomorrow(collection, monkeypatch):
    s = session.start(collection, item="relu")
    card = s.next()
    assert s.skip(card) == date(2026, 11, 26)
    assert s.next() is None
    assert list(session.start(collection, item="relu").queue) == []
    at(monkeypatch, "2026-11-26T09:00:00+00:00")
    assert list(session.start(collection, item="relu").queue) == ["relu"]


def test_time_box_stops_handing_out_cards(collection, monkeypatch):
    s = session.start(collection, time_box_minutes=5)
    s.grade(s.next(), 4)
    at(monkeypatch, "2026-11-25T09:06:00+00:00")
    assert s.next() is None
    assert s.summary()["left"] == session.DEFAULT_NEW_PER_DAY - 1


def test_unknown_item_is_an_error(collection):
    from drill.errors import UnknownItemError

    with pytest.raises(UnknownItemError):
        session.start(collection, item="nope")


# -- variants ------------------------------------------------------------------------------


def _item(collection, item_id):
    return collection.item(item_id)


def test_numeric_items_start_with_the_self_check_then_change_daily(collection):
    item = _item(collection, "forward-pass")
    day = date(2026, 11, 25)
    assert pick_seed(item, day, None) == 0
    seeds = [pick_seed(item, day + timedelta(days=k), 0) for k in range(30)]
    assert 0 not in seeds and len(set(seeds)) == 30
    assert pick_seed(item, day, 0) == pick_seed(item, day, 0)  # a resumed day shows the same


def test_a_seed_is_never_the_one_shown_last_time(collection):
    item = _item(collection, "weight-decay")
    day = date(2026, 11, 25)
    drawn = pick_seed(item, day, 0)
    assert pick_seed(item, day, drawn) != drawn


def test_recall_and_code_items_alternate_with_their_numeric_variants(collection):
    day = date(2026, 11, 25)
    for item_id in ("one-hot", "target-network"):
        item = _item(collection, item_id)
        assert pick_seed(item, day, None) == 0
        assert pick_seed(item, day, 0) > 0
        assert pick_seed(item, day, 17) == 0
        assert pick_seed(item, day, 17, round_=1) == 17  # a re-drill repeats the question
    assert pick_seed(_item(collection, "mse"), day, 0) == 0  # no variants


@pytest.mark.parametrize(
    ("kind", "correct", "seconds", "tries", "expected"),
    [
        ("numeric", True, 10, 1, 4),
        ("numeric", True, 500, 1, 3),
        ("code", True, 30, 2, 3),
        ("numeric", False, 5, 1, 1),
        ("code", False, 5, 2, 1),
        ("recall", None, 5, 1, None),
    ],
)
def test_suggested_grades(kind, correct, seconds, tries, expected):
    assert suggest_grade(kind, correct, seconds, tries) == expected


# -- a simulated learner ---------------------------------------------------------------------


def test_thirty_days_of_a_learner_who_always_grades_4(collection, monkeypatch):
    """Intervals grow as SM-2 says: 1, 6, then interval * EF (EF stays 2.5 at grade 4)."""
    start = datetime(2026, 11, 25, 9, tzinfo=UTC)
    reviewed_on = {item_id: [] for item_id in ORDER}
    for offset in range(30):
        day = start + timedelta(days=offset)
        at(monkeypatch, day.isoformat())
        s = session.start(collection, new_limit=12)
        for item_id, redrill in drain(s, quality=4):
            assert not redrill
            reviewed_on[item_id].append(offset)
    for item_id in ORDER:
        # day 0, then +1, +6 and +15 (ceil(6 * 2.5)): 0, 1, 7, 22; the next (+38) is past day 29.
        assert reviewed_on[item_id] == [0, 1, 7, 22], item_id
        card = collection.store.card(item_id)
        assert (card.repetitions, card.interval, card.easiness_milli) == (4, 38, 2500)


def test_thirty_days_of_a_struggling_learner(collection, monkeypatch):
    """Grade 3 each time: EF falls by 0.14 a review to the 1.3 floor, so intervals grow slowly."""
    start = datetime(2026, 11, 25, 9, tzinfo=UTC)
    history = []
    for offset in range(30):
        at(monkeypatch, (start + timedelta(days=offset)).isoformat())
        s = session.start(collection, new_limit=1, item="chain-rule")
        while (card := s.next()) is not None:
            s.grade(card, 3 if not card.redrill else 4)
            if not card.redrill:
                history.append(offset)
    # EF before each review: 2.5, 2.36, 2.22, 2.08, 1.94, 1.8 ... intervals 1, 6, ceil(6*2.22)=14,
    # so reviews on days 0, 1, 7, 21.
    assert history == [0, 1, 7, 21]
    card = collection.store.card("chain-rule")
    assert card.easiness_milli == 2500 - 4 * 140


def test_undo_in_a_session_takes_back_only_its_own_grades(collection):
    s = session.start(collection, new_limit=2)
    s.grade(s.next(), 1)  # a pending re-drill for the first item
    resumed = session.start(collection, new_limit=2)
    assert resumed.undo() is None  # the earlier session's grade is not this one's to undo
    assert collection.store.card(ORDER[0]).repetitions == 0 and collection.store.latest_review() > 0
    shown = []
    while (card := resumed.next()) is not None:
        shown.append(card.item.id)
        resumed.grade(card, 4)
    assert shown == [ORDER[1], ORDER[0]]  # the new item, then the pending re-drill


def test_a_card_graded_elsewhere_after_the_session_began_is_a_redrill_here(collection):
    first = session.start(collection, new_limit=1)
    second = session.start(collection, new_limit=1)  # both hand out the same new card
    graded = first.grade(first.next(), 4)
    assert not graded.stale
    card = second.next()  # shown after the other grade, but handed out before it
    assert card.item.id == ORDER[0] and not card.redrill
    again = second.grade(card, 4)
    assert again.stale
    assert (again.card.repetitions, again.card.interval) == (1, 1)
    assert second.summary()["reviewed"] == 0 and second.summary()["redrilled"] == 1
    own = second.grade(second.next(), 5) if second.remaining() else None
    assert own is None or not own.stale  # its own re-drills are never stale
