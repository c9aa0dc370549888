"""drill's deck preset in the .apkg, as Anki itself imports it and schedules with it.

Each package is imported into a fresh collection with the real `anki` package, the way
Anki's import dialog does it, with "Import any deck presets" ticked or not.
"""

from __future__ import annotations

import json
import random
import sqlite3
import zipfile
from collections import Counter, defaultdict

import pytest
from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.consts import CARD_TYPE_NEW, CARD_TYPE_REV

from drill.exporters import anki_package
from drill.exporters.anki import AnkiExporter, deck_name
from drill.exporters.anki_package import PRESET_ID, write_package

DEFAULT_PRESET = 1
DAYS = 30
EASES = (1, 2, 3, 4)  # again, hard, good, easy
EASE_WEIGHTS = (2, 1, 6, 1)
DAY_SECONDS = 86_400


@pytest.fixture(scope="module")
def export(tmp_path_factory, deck):
    """The built-in deck exported with `variants` variant cards per item, once per count."""
    folder = tmp_path_factory.mktemp("export")
    made = {}

    def make(variants):
        if variants not in made:
            made[variants] = folder / f"dl-foundations-{variants}.apkg"
            AnkiExporter().export([deck], made[variants], variants=variants)
        return made[variants]

    return make


def import_apkg(col, path, *, presets):
    """Import like Anki's dialog does, with "Import any deck presets" ticked or not."""
    options = ImportAnkiPackageOptions(with_deck_configs=presets)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=options))


def drill_deck_id(col, deck):
    did = col.decks.id_for_name(deck_name(deck))
    assert did
    return did


def preset_of(col, did):
    return col.decks.config_dict_for_deck_id(did)


# -- how the preset travels ----------------------------------------------------------------


def test_with_presets_the_deck_uses_drills_preset_and_default_is_untouched(col, export, deck):
    default_before = col.decks.get_config(DEFAULT_PRESET)
    import_apkg(col, export(5), presets=True)

    conf = preset_of(col, drill_deck_id(col, deck))
    assert conf["id"] == PRESET_ID
    assert conf["name"] == "drill"
    assert conf["new"]["bury"] and conf["rev"]["bury"] and conf["buryInterdayLearning"]
    assert conf["new"]["perDay"] == 6  # drill's own new-per-day default
    assert col.decks.get_config(DEFAULT_PRESET) == default_before
    assert [c["id"] for c in col.decks.all_config()].count(PRESET_ID) == 1


def test_without_presets_the_deck_uses_default_and_nothing_of_the_learners_changes(
    col, export, deck
):
    presets_before = col.decks.all_config()
    import_apkg(col, export(5), presets=False)

    assert preset_of(col, drill_deck_id(col, deck))["id"] == DEFAULT_PRESET
    assert col.decks.all_config() == presets_before


def test_a_reimport_keeps_the_learners_edits_to_drills_preset(col, export, deck):
    import_apkg(col, export(5), presets=True)
    conf = col.decks.get_config(PRESET_ID)
    conf["new"]["perDay"] = 3
    conf["rev"]["bury"] = False
    col.decks.update_config(conf)

    import_apkg(col, export(5), presets=True)
    conf = preset_of(col, drill_deck_id(col, deck))
    assert conf["id"] == PRESET_ID
    assert conf["new"]["perDay"] == 3 and not conf["rev"]["bury"]


def test_new_per_day_is_written_into_the_preset_and_every_deck_but_default_uses_it(tmp_path):
    import genanki

    decks = [genanki.Deck(1_900_000_001, "drill::a"), genanki.Deck(1_900_000_002, "drill::b")]
    write_package(genanki.Package(decks), tmp_path / "p.apkg", 1_800_000_000, new_per_day=9)
    (tmp_path / "c.anki2").write_bytes(
        zipfile.ZipFile(tmp_path / "p.apkg").read("collection.anki2"))
    conn = sqlite3.connect(tmp_path / "c.anki2")
    try:
        decks_json, presets_json = conn.execute("SELECT decks, dconf FROM col").fetchone()
    finally:
        conn.close()
    presets = json.loads(presets_json)
    assert set(presets) == {str(DEFAULT_PRESET), str(PRESET_ID)}
    ours, default = presets[str(PRESET_ID)], presets[str(DEFAULT_PRESET)]
    assert ours["new"]["perDay"] == 9 and ours["mod"] == anki_package.PRESET_MOD
    # every key Anki reads is there: the preset is Default's, with drill's changes
    assert set(ours) == set(default) | {"buryInterdayLearning"}
    assert set(ours["new"]) == set(default["new"]) and set(ours["rev"]) == set(default["rev"])
    conf_of = {d["name"]: d["conf"] for d in json.loads(decks_json).values()}
    assert conf_of == {"Default": DEFAULT_PRESET, "drill::a": PRESET_ID, "drill::b": PRESET_ID}


def test_new_per_day_must_be_a_whole_number(tmp_path):
    import genanki

    package = genanki.Package([genanki.Deck(1_900_000_001, "drill::a")])
    for bad in (-1, 2.5, True, "6"):
        with pytest.raises(ValueError, match="new_per_day"):
            write_package(package, tmp_path / "p.apkg", 1_800_000_000, new_per_day=bad)
    assert not (tmp_path / "p.apkg").exists()


# -- a month of study ----------------------------------------------------------------------


def next_day(col):
    """Move Anki's clock on by a day.

    Done as Anki's own test of unburying at the day's rollover does it
    (rslib/src/scheduler/bury_and_suspend.rs, test `unbury`): move the collection's creation
    time back a day, so that "today" (days since creation) is one more. That is a real new
    day to the scheduler: buried siblings come back, daily limits start again, and review
    and interday-learning due dates (day numbers) come one day nearer. Anki's Python tests
    (pylib/tests/test_schedv3.py, "for testing, move it back a day": `c.due -= 1`) move single
    cards' due dates instead, which leaves today, burying and daily limits as they were.

    The backend caches today's timing until the real next day, so the collection is closed
    and reopened to read the new creation time. Intraday learning steps (due in epoch
    seconds) need no moving: each day's study ends only when Anki gives no card, and all
    default steps are within its 20-minute learn-ahead, so none is left over.
    """
    today = col.sched.today
    col.crt -= DAY_SECONDS
    col.close(downgrade=False)
    col.reopen()
    assert col.sched.today == today + 1


def study_a_month(col, deck, *, seed=7):
    """Study everything Anki gives for DAYS days, answering with a seeded mix of eases.

    Returns per day: the note ids of the cards queued at the day's start, and the answered
    cards as (note id, card id, card type when shown).
    """
    col.decks.select(drill_deck_id(col, deck))
    rng = random.Random(seed)
    days = []
    for _ in range(DAYS):
        queued = col.sched.get_queued_cards(fetch_limit=10_000).cards
        answered = []
        while (card := col.sched.getCard()) is not None:
            answered.append((card.nid, card.id, card.type))
            col.sched.answerCard(card, rng.choices(EASES, EASE_WEIGHTS)[0])
        days.append(([q.card.note_id for q in queued], answered))
        next_day(col)
    return days


def siblings_shown_together(answered):
    """Note ids of which more than one card was answered on the day."""
    cards_of = defaultdict(set)
    for nid, cid, _ in answered:
        cards_of[nid].add(cid)
    return {nid for nid, cards in cards_of.items() if len(cards) > 1}


def has_twice(note_ids):
    return any(count > 1 for count in Counter(note_ids).values())


@pytest.mark.parametrize("variants", [5, 20])
def test_a_month_with_drills_preset_never_shows_two_cards_of_one_note_a_day(
    col, export, deck, variants
):
    import_apkg(col, export(variants), presets=True)
    days = study_a_month(col, deck)

    for day, (queued, answered) in enumerate(days):
        assert not has_twice(queued), f"day {day}: two cards of one note queued"
        assert not siblings_shown_together(answered), f"day {day}: siblings shown"
        assert sum(kind == CARD_TYPE_NEW for _, _, kind in answered) <= 6, f"day {day}"
    # study happened: new cards every day early on, then reviews on most days
    answers = [a for _, day in days for a in day]
    reviews = [a for a in answers if a[2] == CARD_TYPE_REV]
    review_days = sum(any(kind == CARD_TYPE_REV for _, _, kind in day) for _, day in days)
    assert len(answers) >= 200 and len(reviews) >= 100 and review_days >= 20
    assert len({cid for _, cid, _ in answers}) >= 40
    # numeric items' variants did come up, on different days
    cards_seen_of_note = Counter(nid for nid, _ in {(nid, cid) for nid, cid, _ in answers})
    assert max(cards_seen_of_note.values()) >= 5


def test_the_same_month_under_default_shows_siblings_on_one_day(col, export, deck):
    """The month's checks can fail: without the preset (Default, no burying), they do."""
    import_apkg(col, export(5), presets=False)
    assert not preset_of(col, drill_deck_id(col, deck))["new"]["bury"]
    days = study_a_month(col, deck)

    assert has_twice(days[0][0])
    assert siblings_shown_together(days[0][1])
    assert sum(bool(siblings_shown_together(answered)) for _, answered in days) >= 10
