"""drill's Anki note types across releases, held against what each release shipped.

Anki knows a note type by its id and its fields and templates by their order, so a note type
keeps its id forever and only ever gains fields and templates at the end. The descriptions
of every released version are in tests/data/anki/note_types.json, and the package drill
0.1.0 wrote is tests/data/anki/drill-0.1.0.apkg: upgrading from it is tested with the real
`anki` package, the way the README tells learners to import.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
from pathlib import Path

import pytest
from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

from drill.exporters import anki_notetypes as notetypes
from drill.exporters.anki import AnkiExporter
from drill.loader import load_builtin

DATA = Path(__file__).parent / "data" / "anki"
HISTORY = json.loads((DATA / "note_types.json").read_text("utf-8"))["versions"]
RELEASED_0_1 = DATA / "drill-0.1.0.apkg"
NOW = 1796400000  # 2026-12-04T16:00:00Z
OLD_DECK = "DL Foundations::Self-check"  # the built-in deck's name in drill 0.1
NEW_DECK = "drill::Deep-learning foundations"


def describe_current() -> dict:
    """The note types this drill exports, described as note_types.json describes them."""
    return {
        str(model.model_id): {
            "name": model.name,
            "fields": [f["name"] for f in model.fields],
            "templates": [t["name"] for t in model.templates],
        }
        for model in (notetypes.numeric_model(), notetypes.code_model(), notetypes.recall_model())
    }


def breaking_changes(old: dict, new: dict) -> list[str]:
    """What in `new` would stop Anki from updating notes of the note types in `old`."""
    problems = []
    for model_id, before in old.items():
        after = new.get(model_id)
        if after is None:
            problems.append(f"note type {model_id} ({before['name']}) is gone")
            continue
        for part in ("fields", "templates"):
            kept = after[part][: len(before[part])]
            if kept != before[part]:
                problems.append(f"{before['name']}: {part} {before[part]} became {after[part]}; "
                                "only appending is allowed")
    return problems


# -- the rule, as data ---------------------------------------------------------------------


@pytest.mark.parametrize("released", HISTORY, ids=[v["version"] for v in HISTORY])
def test_every_released_note_type_is_still_there_with_its_fields_in_order(released):
    assert breaking_changes(released["note_types"], describe_current()) == []


def test_each_release_only_appended_to_the_one_before():
    for before, after in itertools.pairwise(HISTORY):
        assert breaking_changes(before["note_types"], after["note_types"]) == [], after["version"]


def test_the_latest_release_describes_the_note_types_exported_now():
    # A change to a note type goes with a new entry in note_types.json (and a release).
    assert HISTORY[-1]["note_types"] == describe_current()


def _rename_field(d):
    d["fields"][1] = "Position"


def _reorder_fields(d):
    d["fields"][1], d["fields"][2] = d["fields"][2], d["fields"][1]


def _drop_last_field(d):
    d["fields"].pop()


def _insert_field(d):
    d["fields"].insert(3, "Hint")


def _rename_template(d):
    d["templates"][0] = "Card 1"


def _drop_template(d):
    d["templates"].pop()


@pytest.mark.parametrize(
    "change", [_rename_field, _reorder_fields, _drop_last_field, _insert_field,
               _rename_template, _drop_template],
)
def test_the_check_catches_each_kind_of_breaking_change(change):
    current = describe_current()
    for model_id in current:
        changed = copy.deepcopy(current)
        change(changed[model_id])
        assert breaking_changes(current, changed), (change.__name__, model_id)


def test_the_check_catches_a_new_id_and_allows_appending():
    current = describe_current()
    moved = {str(int(k) + 1): v for k, v in current.items()}
    assert len(breaking_changes(current, moved)) == 3
    grown = copy.deepcopy(current)
    for description in grown.values():
        description["fields"].append("Later")
        description["templates"].append("Later card")
    assert breaking_changes(current, grown) == []


# -- upgrading a learner's collection from 0.1, with the real importer -----------------------


@pytest.fixture(scope="module")
def current_apkg(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "dl-foundations.apkg"
    AnkiExporter().export([load_builtin()], path, variants=5, history=[], now=NOW)
    return path


def import_apkg(col, path, *, merge: bool):
    options = ImportAnkiPackageOptions(merge_notetypes=merge, with_deck_configs=True)
    request = ImportAnkiPackageRequest(package_path=str(path), options=options)
    return col.import_anki_package(request).log


def study_some(col, deck_name: str, count: int) -> dict[int, tuple]:
    """Answer `count` cards Good; return their scheduling by card id."""
    col.decks.select(col.decks.id_for_name(deck_name))
    studied = {}
    for _ in range(count):
        card = col.sched.getCard()
        assert card is not None
        col.sched.answerCard(card, 3)
        card.load()
        studied[card.id] = (card.due, card.ivl, card.queue, card.type, card.reps, card.ord)
    return studied


def visible_text(rendered: str) -> str:
    without_style = re.sub(r"<style>.*?</style>", "", rendered, flags=re.S)
    return re.sub(r"<[^>]+>|&nbsp;|\s", "", without_style)


def drill_note_types(col) -> list[dict]:
    return [m for m in col.models.all() if m["name"].startswith("drill: ")]


def test_upgrading_from_0_1_with_merge_keeps_progress_and_leaves_no_card_blank(col, current_apkg):
    log = import_apkg(col, RELEASED_0_1, merge=False)
    assert len(log.new) == 12
    studied = study_some(col, OLD_DECK, 8)
    # What the README says to do on this upgrade: rename the deck, then import with merge.
    col.decks.rename(col.decks.id_for_name(OLD_DECK), NEW_DECK)

    log = import_apkg(col, current_apkg, merge=True)

    assert len(log.updated) == 12 and not log.conflicting and not log.new
    assert sorted(m["id"] for m in drill_note_types(col)) == sorted(
        [notetypes.NUMERIC_MODEL_ID, notetypes.CODE_MODEL_ID, notetypes.RECALL_MODEL_ID])
    for cid, before in studied.items():
        card = col.get_card(cid)
        assert (card.due, card.ivl, card.queue, card.type, card.reps, card.ord) == before
    softmax = col.get_note(col.find_notes("Id:softmax")[0])
    assert len(softmax.cards()) == 5  # its own card and four practice variants, new
    assert {col.decks.name(did) for did in col.db.list("SELECT DISTINCT did FROM cards")} == {
        NEW_DECK}
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        assert visible_text(card.question()), f"blank front: card {cid}, ord {card.ord}"
        assert visible_text(card.answer())


def test_without_merge_changed_note_types_conflict_and_nothing_breaks_until_merged(
        col, current_apkg):
    import_apkg(col, RELEASED_0_1, merge=False)
    studied = study_some(col, OLD_DECK, 4)
    col.decks.rename(col.decks.id_for_name(OLD_DECK), NEW_DECK)

    log = import_apkg(col, current_apkg, merge=False)

    # numeric notes kept their note type and update; code and recall notes wait for a merge
    assert len(log.updated) == 2 and len(log.conflicting) == 10
    for cid in col.find_cards(""):
        assert visible_text(col.get_card(cid).question())

    log = import_apkg(col, current_apkg, merge=True)

    assert len(log.updated) == 10 and not log.conflicting
    assert len(drill_note_types(col)) == 3
    for cid, before in studied.items():
        card = col.get_card(cid)
        assert (card.due, card.ivl, card.queue, card.type, card.reps, card.ord) == before
    for cid in col.find_cards(""):
        assert visible_text(col.get_card(cid).question()), f"blank front: card {cid}"
