"""Every change in drill reaches the phone, and no card there ever turns blank.

A learner's loop, for real: `drill export anki` (the CLI, with its database), then Anki's own
importer (the `anki` package) with the options the README says to tick, after each kind of
change: a generator edited, an item moved, fewer variants asked for after an edit, an item
retired, nothing changed at all.
"""

from __future__ import annotations

import re

import pytest
from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.consts import QUEUE_TYPE_NEW

DECK = "drill::A traced deck"


@pytest.fixture
def phone(col):
    """The learner's phone: a new, empty Anki collection."""
    return col


@pytest.fixture
def traced_added(run, traced):
    result = run("decks", "add", str(traced), "--yes")
    assert result.exit_code == 0, result.output
    traced.ran()
    return traced


def export(run, path, *args, now: str | None = None):
    env = {"DRILL_NOW": now} if now else None
    result = run("export", "anki", "-o", str(path), *args, env=env)
    assert result.exit_code == 0, result.output
    return result.output


def import_into(phone, path):
    """Import as the README says: update if newer (Anki's default) and deck presets."""
    options = ImportAnkiPackageOptions(with_deck_configs=True, merge_notetypes=True)
    request = ImportAnkiPackageRequest(package_path=str(path), options=options)
    return phone.import_anki_package(request).log


def trust(run, traced):
    result = run("decks", "trust", "traced", "--yes")
    assert result.exit_code == 0, result.output


def note(phone, item_id):
    (nid,) = phone.find_notes(f"Id:{item_id}")
    return phone.get_note(nid)


def visible(rendered: str) -> str:
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", rendered, flags=re.S)
    return " ".join(text.split())


def updated_ids(log) -> set[str]:
    return {entry.fields[0] for entry in log.updated}


def test_nothing_changed_means_nothing_to_update(run, phone, traced_added, tmp_path):
    export(run, tmp_path / "a.apkg")
    assert len(import_into(phone, tmp_path / "a.apkg").new) == 14
    export(run, tmp_path / "b.apkg", now="2026-12-20T09:00:00+00:00")
    log = import_into(phone, tmp_path / "b.apkg")
    assert len(log.duplicate) == 14 and not log.updated and not log.new


def test_an_edited_generator_reaches_the_phone(run, phone, traced_added, tmp_path):
    export(run, tmp_path / "a.apkg")
    import_into(phone, tmp_path / "a.apkg")
    generator = traced_added.folder / "01-double" / "variants.py"
    generator.write_text(generator.read_text().replace("What is 2 times", "How much is 2 times"))
    trust(run, traced_added)

    export(run, tmp_path / "b.apkg", now="2026-12-05T09:00:00+00:00")
    log = import_into(phone, tmp_path / "b.apkg")

    assert updated_ids(log) == {"double"}
    cards = sorted(note(phone, "double").cards(), key=lambda c: c.ord)
    assert len(cards) == 5
    for card in cards:
        assert "How much is 2 times" in visible(card.question())


def test_a_moved_item_shows_its_new_number(run, phone, traced_added, tmp_path):
    export(run, tmp_path / "a.apkg")
    import_into(phone, tmp_path / "a.apkg")
    assert (note(phone, "double")["Number"], note(phone, "square")["Number"]) == ("01", "02")
    (traced_added.folder / "02-square").rename(traced_added.folder / "00-square")
    trust(run, traced_added)

    export(run, tmp_path / "b.apkg", now="2026-12-05T09:00:00+00:00")
    log = import_into(phone, tmp_path / "b.apkg")

    assert updated_ids(log) == {"double", "square"}
    assert (note(phone, "double")["Number"], note(phone, "square")["Number"]) == ("02", "01")
    assert "01" in visible(note(phone, "square").cards()[0].question())


def test_fewer_variants_after_an_edit_leave_no_blank_card(run, phone, traced_added, tmp_path):
    export(run, tmp_path / "ten.apkg", "--variants", "10")
    import_into(phone, tmp_path / "ten.apkg")
    new_before = phone.db.scalar("SELECT count() FROM cards WHERE queue = ?", QUEUE_TYPE_NEW)
    toml = traced_added.folder / "01-double" / "item.toml"
    toml.write_text(toml.read_text().replace("Double it", "Double it, again"))

    output = export(run, tmp_path / "five.apkg", now="2026-12-05T09:00:00+00:00")
    log = import_into(phone, tmp_path / "five.apkg")

    assert re.search(r"Kept up to 10 variants for \d+ items that an earlier export gave more "
                     r"than 5", output), output
    assert "double" in updated_ids(log)
    double = note(phone, "double")
    assert double["Title"] == "Double it, again"
    assert len(double.cards()) == 10
    for card in double.cards():
        question = visible(card.question())
        assert "What is 2 times" in question, f"card {card.ord + 1} is blank: {question!r}"
    assert phone.db.scalar("SELECT count() FROM cards WHERE queue = ?", QUEUE_TYPE_NEW) == new_before


def test_more_variants_later_add_cards_and_keep_the_old_ones(run, phone, traced_added, tmp_path):
    export(run, tmp_path / "three.apkg", "--variants", "3")
    import_into(phone, tmp_path / "three.apkg")
    old = {card.id for card in note(phone, "double").cards()}

    export(run, tmp_path / "six.apkg", "--variants", "6", now="2026-12-05T09:00:00+00:00")
    log = import_into(phone, tmp_path / "six.apkg")

    assert "double" in updated_ids(log)
    cards = {card.id for card in note(phone, "double").cards()}
    assert old < cards and len(cards) == 6


def test_a_retired_item_is_tagged_on_the_phone_and_untagged_when_it_returns(
        run, phone, traced_added, tmp_path):
    export(run, tmp_path / "a.apkg")
    import_into(phone, tmp_path / "a.apkg")
    square_text = note(phone, "square")["Prompt"]
    parked = tmp_path / "parked-square"
    (traced_added.folder / "02-square").rename(parked)
    trust(run, traced_added)

    output = export(run, tmp_path / "b.apkg", now="2026-12-05T09:00:00+00:00")
    log = import_into(phone, tmp_path / "b.apkg")

    assert "Tagged drill::retired: 1 note of items no longer in drill" in output
    assert updated_ids(log) == {"square"}
    square = note(phone, "square")
    assert "drill::retired" in square.tags
    assert square["Prompt"] == square_text  # the text the phone had, kept
    assert "drill::retired" not in note(phone, "double").tags
    assert phone.find_notes("tag:drill::retired") == [square.id]

    export(run, tmp_path / "c.apkg", now="2026-12-06T09:00:00+00:00")
    assert not import_into(phone, tmp_path / "c.apkg").updated  # marked once

    parked.rename(traced_added.folder / "02-square")
    trust(run, traced_added)
    export(run, tmp_path / "d.apkg", now="2026-12-07T09:00:00+00:00")
    log = import_into(phone, tmp_path / "d.apkg")
    assert updated_ids(log) == {"square"}
    assert "drill::retired" not in note(phone, "square").tags


def test_a_removed_deck_s_notes_are_tagged_retired(run, phone, traced_added, tmp_path):
    export(run, tmp_path / "a.apkg")
    import_into(phone, tmp_path / "a.apkg")
    result = run("decks", "remove", "traced")
    assert result.exit_code == 0, result.output

    export(run, tmp_path / "b.apkg", now="2026-12-05T09:00:00+00:00")
    log = import_into(phone, tmp_path / "b.apkg")

    assert updated_ids(log) == {"double", "square"}
    retired = set(phone.find_notes("tag:drill::retired"))
    assert retired == {note(phone, "double").id, note(phone, "square").id}
    assert {phone.decks.name(c.did) for c in note(phone, "double").cards()} == {DECK}


def test_tags_and_decks_of_built_in_and_added_decks_share_one_root(run, phone, traced_added,
                                                                   tmp_path):
    export(run, tmp_path / "a.apkg")
    import_into(phone, tmp_path / "a.apkg")
    assert all(tag.startswith("drill::") for tag in phone.tags.all()), phone.tags.all()
    names = {phone.decks.name(did) for did in phone.db.list("SELECT DISTINCT did FROM cards")}
    assert names == {"drill::Deep-learning foundations", DECK}


def test_drill_s_preset_brings_the_learner_s_new_cards_a_day(run, phone, tmp_path):
    assert run("config", "new-per-day", "3").exit_code == 0
    export(run, tmp_path / "a.apkg")
    import_into(phone, tmp_path / "a.apkg")
    deck = phone.decks.id_for_name("drill::Deep-learning foundations")
    preset = phone.decks.config_dict_for_deck_id(deck)
    assert preset["name"] == "drill"
    assert preset["new"]["perDay"] == 3
    assert preset["new"]["bury"] and preset["rev"]["bury"]


def test_a_deck_left_out_until_trusted_again_is_not_marked_retired(run, phone, traced_added,
                                                                   tmp_path):
    export(run, tmp_path / "a.apkg")
    import_into(phone, tmp_path / "a.apkg")
    generator = traced_added.folder / "01-double" / "variants.py"
    generator.write_text(generator.read_text().replace("What is 2 times", "How much is 2 times"))

    output = export(run, tmp_path / "b.apkg", now="2026-12-05T09:00:00+00:00")
    log = import_into(phone, tmp_path / "b.apkg")

    assert "left out" in output and "retired" not in output
    assert not log.updated and not phone.find_notes("tag:drill::retired")
    assert "What is 2 times" in visible(note(phone, "double").cards()[0].question())


def test_a_removed_generator_leaves_its_variant_cards_as_they_were(run, phone, traced_added,
                                                                   tmp_path):
    export(run, tmp_path / "a.apkg")
    import_into(phone, tmp_path / "a.apkg")
    before = {card.ord: visible(card.question()) for card in note(phone, "double").cards()}
    (traced_added.folder / "01-double" / "variants.py").unlink()
    toml = traced_added.folder / "01-double" / "item.toml"
    toml.write_text(toml.read_text().replace("What is 2 times 3?", "What is two times 3?")
                    + "value = 6\n")
    trust(run, traced_added)

    export(run, tmp_path / "b.apkg", now="2026-12-05T09:00:00+00:00")
    log = import_into(phone, tmp_path / "b.apkg")

    assert "double" in updated_ids(log)
    after = {card.ord: visible(card.question()) for card in note(phone, "double").cards()}
    assert len(after) == len(before) == 5
    assert "What is two times 3?" in after[0]
    assert {o: after[o] for o in range(1, 5)} == {o: before[o] for o in range(1, 5)}


def test_an_item_whose_kind_changed_gets_a_new_note_and_the_old_one_retires(
        run, phone, traced_added, tmp_path):
    export(run, tmp_path / "a.apkg")
    import_into(phone, tmp_path / "a.apkg")
    old = note(phone, "double")
    toml = traced_added.folder / "01-double" / "item.toml"
    toml.write_text(toml.read_text().replace('kind = "numeric"', 'kind = "recall"'))
    trust(run, traced_added)

    output = export(run, tmp_path / "b.apkg", now="2026-12-05T09:00:00+00:00")
    log = import_into(phone, tmp_path / "b.apkg")

    assert "Tagged drill::retired: 1 note" in output
    assert [entry.fields[0] for entry in log.new] == ["double"]
    assert not log.conflicting
    old.load()
    assert "drill::retired" in old.tags
    (new_id,) = [nid for nid in phone.find_notes("Id:double") if nid != old.id]
    new = phone.get_note(new_id)
    assert new.note_type()["name"] == "drill: recall" and "drill::retired" not in new.tags
    for cid in phone.find_cards(""):  # no card anywhere turned blank
        card = phone.get_card(cid)
        assert visible(card.question()), f"card {card.ord + 1} of note {card.nid} is blank"


def test_new_styling_reaches_a_phone_that_merged_note_types(run, phone, tmp_path, monkeypatch):
    from drill.exporters import anki_notetypes

    export(run, tmp_path / "a.apkg")
    import_into(phone, tmp_path / "a.apkg")  # with "Merge note types": stamped as imported now
    monkeypatch.setattr(anki_notetypes, "_CSS", anki_notetypes._CSS + ".drill { color: teal; }\n")
    anki_notetypes.note_css.cache_clear()
    try:
        export(run, tmp_path / "b.apkg", now="2026-12-20T09:00:00+00:00")
    finally:
        monkeypatch.undo()
        anki_notetypes.note_css.cache_clear()
    import_into(phone, tmp_path / "b.apkg")

    for name in ("drill: numeric", "drill: code", "drill: recall"):
        assert "color: teal" in css_of(phone, name), name
    export(run, tmp_path / "c.apkg", now="2026-12-21T09:00:00+00:00")  # the old styling again
    import_into(phone, tmp_path / "c.apkg")
    assert "color: teal" not in css_of(phone, "drill: code")


def css_of(phone, name: str) -> str:
    phone.models._clear_cache()  # pylib keeps note types it read before the import
    return phone.models.by_name(name)["css"]
