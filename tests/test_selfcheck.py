"""drill.selfcheck and its terminal timer: bands, questions, and a time limit that holds."""

import signal
import time

import pytest

from drill import selfcheck
from drill.deckcode import call_with_time_limit
from drill.selfcheck_ui import Timer, TimeUp
from tests.selfcheck_kit import ITEMS

# The seed's rule, written out: 9-12 ready, 7-8 review, below 7 redo.
BANDS = [(0, "redo"), (1, "redo"), (6, "redo"), (7, "review"), (8, "review"), (9, "ready"),
         (10, "ready"), (12, "ready")]


@pytest.mark.parametrize(("score", "name"), BANDS)
def test_bands(score, name):
    assert selfcheck.band(score).name == name


def test_the_concept_items_ask_their_own_question_whatever_the_seed():
    for seed in (0, 1, 7, 123456):
        asked = selfcheck.questions(ITEMS, seed)
        assert [q.item.id for q in asked] == [item.id for item in ITEMS]
        for question in asked:
            if question.item.kind == "recall":
                assert question.variant.seed == 0 and question.variant.prompt == question.item.prompt
                assert question.mode == "concept" and question.item.checklist
            elif question.item.kind == "numeric":
                assert question.variant.seed == seed
            else:
                assert question.variant.seed == 0 and question.seed == seed


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="interval timers are POSIX")
def test_the_time_limit_survives_deck_code_run_under_its_own_limit():
    with Timer(0.5 / 60) as timer:  # half a second
        assert call_with_time_limit(lambda: 42) == 42  # sets and clears its own 5 s timer
        started = time.monotonic()
        with pytest.raises(TimeUp):
            timer.wait(lambda: time.sleep(5))
        assert time.monotonic() - started < 2
