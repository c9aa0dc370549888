"""The Anki exporter, checked with the official Anki backend (the `anki` package).

Every .apkg is imported into a fresh collection the way Anki's own import dialog does it
(default options: update notes and note types when the incoming ones are newer).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile

import pytest
from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.consts import QUEUE_TYPE_MANUALLY_BURIED, QUEUE_TYPE_NEW, QUEUE_TYPE_SIBLING_BURIED

from drill import trust
from drill.errors import DrillError, UnknownItemError
from drill.exporters import anki as anki_export
from drill.exporters import anki_notetypes as notetypes
from drill.exporters.anki import AnkiExporter, ExportError
from drill.loader import allow_code, builtin_folder, load_deck

VARIANTS = 3
NOW = 1796400000  # 2026-12-04T16:00:00Z, after the note types' FORMAT_REVISED
LATER = NOW + 3 * 86_400
N_ITEMS = 12
N_VARIED = 8  # items with a generator: numeric ones, and concept/code items with practice


@pytest.fixture(scope="module")
def first(tmp_path_factory, deck):
    """The built-in deck exported once, with VARIANTS variants per item that has them."""
    path = tmp_path_factory.mktemp("export") / "dl-foundations.apkg"
    return AnkiExporter().export([deck], path, variants=VARIANTS, history=[], now=NOW)


@pytest.fixture(scope="module")
def apkg(first):
    return first["path"]


@pytest.fixture(scope="module")
def history(first):
    return first["records"]


def import_apkg(col, path):
    """Import like Anki's dialog does; return the import log."""
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def note_id(col, item_id):
    (nid,) = col.find_notes(f"Id:{item_id}")
    return nid


def drill_deck_id(col):
    return col.decks.id_for_name("drill::Deep-learning foundations")


def strip_style(rendered: str) -> str:
    return re.sub(r"<style>.*?</style>", "", rendered, flags=re.S)


# -- counts and identity -------------------------------------------------------------------


def test_one_note_per_item_and_one_card_per_variant(col, apkg):
    log = import_apkg(col, apkg)
    assert len(log.new) == N_ITEMS
    assert col.note_count() == N_ITEMS
    assert col.card_count() == N_ITEMS - N_VARIED + N_VARIED * VARIANTS
    assert set(col.db.list("SELECT DISTINCT did FROM cards")) == {drill_deck_id(col)}
    forward = col.get_note(note_id(col, "forward-pass"))
    assert len(forward.cards()) == VARIANTS
    assert forward.guid == anki_export.note_guid("forward-pass")
    assert "drill::kind::numeric" in forward.tags and "drill::dl::forward-pass" in forward.tags


@pytest.mark.parametrize("item_id", ["softmax", "one-hot", "target-network", "chain-rule"])
def test_concept_and_code_items_bring_their_numeric_practice_as_siblings(col, apkg, item_id):
    import_apkg(col, apkg)
    note = col.get_note(note_id(col, item_id))
    cards = sorted(note.cards(), key=lambda card: card.ord)
    assert len(cards) == VARIANTS
    own, practice = cards[0], cards[1:]
    assert strip_style(own.question()).count("variant") == 0
    for card in practice:
        question = strip_style(card.question())
        assert f"variant {card.ord + 1}" in question
        assert "Answer:" in strip_style(card.answer())
        assert note[f"Q{card.ord + 1}"] and note[f"A{card.ord + 1}"]


def test_every_tag_and_deck_sits_under_drill(col, apkg):
    import_apkg(col, apkg)
    tags = col.tags.all()
    assert tags and all(tag.startswith("drill::") for tag in tags), tags
    names = {col.decks.name(did) for did in col.db.list("SELECT DISTINCT did FROM cards")}
    assert names == {"drill::Deep-learning foundations"}


def test_sort_field_is_the_item_id_and_new_cards_come_in_deck_order(col, apkg, deck):
    import_apkg(col, apkg)
    for item in deck.items:
        note = col.get_note(note_id(col, item.id))
        assert note["Id"] == item.id
        assert note["Number"] == f"{item.position:02d}"
        assert {card.due for card in note.cards()} == {item.position}
    sort_fields = col.db.list("SELECT sfld FROM notes ORDER BY sfld")
    assert sort_fields == sorted(item.id for item in deck.items)


def test_reimporting_the_same_file_adds_nothing_and_keeps_scheduling(col, apkg):
    import_apkg(col, apkg)
    col.decks.select(drill_deck_id(col))
    card = col.sched.getCard()
    col.sched.answerCard(card, 4)  # Easy: the card graduates with an interval of days
    card.load()
    before = (card.due, card.ivl, card.queue, card.type, card.reps)
    assert card.ivl > 0
    notes, cards = col.note_count(), col.card_count()

    log = import_apkg(col, apkg)

    assert len(log.new) == 0 and len(log.updated) == 0
    assert (col.note_count(), col.card_count()) == (notes, cards)
    card.load()
    assert (card.due, card.ivl, card.queue, card.type, card.reps) == before


def test_an_edited_item_updates_its_note_in_place(col, apkg, tmp_path, history):
    import_apkg(col, apkg)
    nid = note_id(col, "relu")
    card_ids = sorted(col.card_ids_of_note(nid))
    other_mod = col.get_note(note_id(col, "chain-rule")).mod

    folder = tmp_path / "dl_foundations"
    shutil.copytree(builtin_folder(), folder)
    toml = folder / "02-relu" / "item.toml"
    text = toml.read_text("utf-8")
    assert "Implement ReLU and its gradient" in text
    toml.write_text(text.replace("Implement ReLU and its gradient",
                                 "Implement ReLU and its gradient (edited)"), "utf-8")
    edited = load_deck(folder, builtin=True)
    allow_code(folder, edited.name, trust.scan(folder).hashes())  # a copy of drill's own deck
    out = tmp_path / "edited.apkg"
    AnkiExporter().export([edited], out, variants=VARIANTS, history=history, now=LATER)

    log = import_apkg(col, out)

    assert [n.id.nid for n in log.updated] == [nid]
    assert len(log.new) == 0
    assert col.note_count() == N_ITEMS
    assert sorted(col.card_ids_of_note(nid)) == card_ids
    note = col.get_note(nid)
    assert "Implement ReLU and its gradient (edited)" in note["Prompt"]
    assert col.get_note(note_id(col, "chain-rule")).mod == other_mod


def test_more_variants_fill_new_sibling_slots_and_keep_the_old_cards(col, tmp_path, deck):
    exporter = AnkiExporter()
    two = exporter.export([deck], tmp_path / "two.apkg", variants=2, history=[], now=NOW)
    exporter.export([deck], tmp_path / "four.apkg", variants=4, now=LATER,
                    history=two["records"])
    import_apkg(col, tmp_path / "two.apkg")
    nid = note_id(col, "weight-decay")
    old_cards = set(col.card_ids_of_note(nid))
    first_question = col.get_note(nid)["Q2"]

    import_apkg(col, tmp_path / "four.apkg")

    assert col.note_count() == N_ITEMS
    assert col.card_count() == N_ITEMS - N_VARIED + N_VARIED * 4
    note = col.get_note(nid)
    assert old_cards < set(col.card_ids_of_note(nid))
    assert note["Q2"] == first_question  # the seeds are a stable prefix
    assert note["Q4"] and not note["Q5"]


def test_answering_one_variant_buries_its_siblings_for_today(col, apkg):
    import_apkg(col, apkg)
    conf = col.decks.config_dict_for_deck_id(drill_deck_id(col))
    conf["new"]["bury"] = True
    conf["rev"]["bury"] = True
    col.decks.update_config(conf)
    cards = sorted(col.get_note(note_id(col, "forward-pass")).cards(), key=lambda c: c.ord)
    first, siblings = cards[0], cards[1:]
    first.start_timer()
    col.sched.answerCard(first, 3)

    for sibling in siblings:
        sibling.load()
        assert sibling.queue in (QUEUE_TYPE_SIBLING_BURIED, QUEUE_TYPE_MANUALLY_BURIED)
    other = col.get_note(note_id(col, "weight-decay")).cards()
    assert all(card.queue == QUEUE_TYPE_NEW for card in other)


# -- rendering -----------------------------------------------------------------------------


def test_every_card_renders_a_question_and_an_answer(col, apkg):
    import_apkg(col, apkg)
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        question, answer = strip_style(card.question()), strip_style(card.answer())
        assert re.sub(r"<[^>]+>|\s", "", question), f"empty question on card {cid}"
        assert len(answer) > len(question)
        assert "{{" not in question and "{{" not in answer
        assert "}}" not in re.sub(r"\\\(.*?\\\)|\\\[.*?\\\]", "", answer, flags=re.S)


def test_code_is_escaped_and_highlighted(col, apkg):
    import_apkg(col, apkg)
    relu = col.get_note(note_id(col, "relu"))
    answer = relu.cards()[0].answer()
    assert '<pre class="code">' in relu["Reference"]
    assert "&gt;" in relu["Reference"] and "&amp;gt;" not in relu["Reference"]
    # relu_backward's `(z > 0)`: the comparison is an escaped, highlighted operator
    assert '<span class="o">&gt;</span> <span class="mi">0</span>' in answer
    assert 'class="k"' in relu["Reference"] or 'class="kn"' in relu["Reference"]
    # the starter is on the front: the learner sees it before answering
    assert "relu_backward" in relu.cards()[0].question()
    assert "EXAMPLES" not in answer


def test_math_is_escaped_and_stays_on_one_line(col, apkg):
    import_apkg(col, apkg)
    forward = col.get_note(note_id(col, "forward-pass"))
    assert r"\begin{bmatrix} 2 &amp; 0" in forward["Q1"]
    for nid in col.find_notes(""):
        for value in col.get_note(nid).fields:
            for math in re.findall(r"\\\(.*?\\\)|\\\[.*?\\\]", value, flags=re.S):
                assert "\n" not in math and "<br>" not in math, math


def test_nothing_is_loaded_from_the_network(col, apkg):
    import_apkg(col, apkg)
    texts = []
    for model in col.models.all():
        if model["id"] in (notetypes.NUMERIC_MODEL_ID, notetypes.CODE_MODEL_ID,
                           notetypes.RECALL_MODEL_ID):
            texts.append(model["css"])
            texts += [t["qfmt"] + t["afmt"] for t in model["tmpls"]]
    assert len(texts) == 3 + 3 * notetypes.MAX_VARIANTS
    for nid in col.find_notes(""):
        texts += col.get_note(nid).fields
    for text in texts:
        assert "http://" not in text and "https://" not in text and "//cdn" not in text


def test_css_has_night_mode_rules_and_wrapping_code():
    css = notetypes.note_css()
    assert ".nightMode" in css and ".night_mode" in css
    assert "white-space: pre-wrap" in css and "text-align: left" in css


def test_note_types_keep_their_ids(col, apkg, first):
    import_apkg(col, apkg)
    model = col.models.get(notetypes.NUMERIC_MODEL_ID)
    assert model["name"] == "drill: numeric"
    assert [f["name"] for f in model["flds"]][:4] == ["Id", "Number", "Title", "Q1"]
    assert model["flds"][0]["id"] == notetypes.NUMERIC_MODEL_ID * 100
    assert model["tmpls"][0]["id"] == notetypes.NUMERIC_MODEL_ID * 100 + 50
    assert model["mod"] == first["note_types"][str(notetypes.NUMERIC_MODEL_ID)]["mod"] == NOW


# -- the file and the summary --------------------------------------------------------------


def test_the_same_input_gives_the_same_bytes(tmp_path, deck, history):
    exporter = AnkiExporter()
    a = exporter.export([deck], tmp_path / "a.apkg", variants=VARIANTS, history=history, now=LATER)
    exporter.export([deck], tmp_path / "b.apkg", variants=VARIANTS, history=history, now=LATER)
    assert (tmp_path / "a.apkg").read_bytes() == (tmp_path / "b.apkg").read_bytes()
    assert (a["notes"], a["cards"], a["path"]) == (
        N_ITEMS, N_ITEMS - N_VARIED + N_VARIED * VARIANTS, str(tmp_path / "a.apkg"))
    # nothing changed since `history`: every note keeps its time
    assert {r.item_id: r.mod for r in a["records"]} == {r.item_id: r.mod for r in history}
    assert sorted(zipfile.ZipFile(tmp_path / "a.apkg").namelist()) == ["collection.anki2", "media"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.apkg", "b.apkg"]


def test_without_history_the_note_times_come_from_the_content(tmp_path, deck):
    exporter = AnkiExporter()
    a = exporter.export([deck], tmp_path / "a.apkg")
    exporter.export([deck], tmp_path / "b.apkg")
    assert (tmp_path / "a.apkg").read_bytes() == (tmp_path / "b.apkg").read_bytes()
    times = [record.mod for record in a["records"]]
    assert all(notetypes.FORMAT_REVISED <= mod < notetypes.FORMAT_REVISED + 86_400 for mod in times)
    assert len(set(times)) > 1


def test_chosen_items_only(tmp_path, deck):
    summary = AnkiExporter().export([deck], tmp_path / "two.apkg", variants=4,
                                    items=["relu", "forward-pass"])
    assert (summary["notes"], summary["cards"]) == (2, 1 + 4)


def test_progress_counts_up_to_the_total(tmp_path, deck):
    calls = []
    AnkiExporter().export([deck], tmp_path / "p.apkg", variants=20,
                          progress=lambda done, total: calls.append((done, total)))
    total = N_ITEMS - N_VARIED + N_VARIED * 20
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert [done for done, _ in calls] == list(range(total + 1))


def test_variant_seeds_are_a_stable_prefix(deck):
    forward = deck.items[0]
    five = anki_export.variant_seeds(forward, 5)
    assert five[0] == 0 and len(set(five)) == 5
    assert anki_export.variant_seeds(forward, 20)[:5] == five


@pytest.mark.parametrize(
    ("name", "kwargs", "error", "message"),
    [
        ("collection.apkg", {}, ExportError, "collection.apkg"),
        ("Collection.APKG", {}, ExportError, "collection"),
        ("cards.zip", {}, ExportError, ".apkg"),
        ("missing/cards.apkg", {}, ExportError, "does not exist"),
        ("cards.apkg", {"variants": 0}, ExportError, "from 1 to 20"),
        ("cards.apkg", {"variants": 21}, ExportError, "from 1 to 20"),
        ("cards.apkg", {"variants": True}, ExportError, "from 1 to 20"),
        ("cards.apkg", {"items": ["relu", "nope"]}, UnknownItemError, "'nope'"),
        ("cards.apkg", {"items": []}, ExportError, "no item ids"),
    ],
)
def test_bad_requests_are_refused_with_one_line(tmp_path, deck, name, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)) as caught:
        AnkiExporter().export([deck], tmp_path / name, **kwargs)
    assert isinstance(caught.value, DrillError)
    assert "\n" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_importing_the_exporter_loads_neither_genanki_nor_pygments_nor_click():
    code = (
        "import sys, drill.exporters.anki; "
        "print(sorted(m for m in ('genanki', 'pygments', 'click') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("make", [notetypes.numeric_model, notetypes.code_model,
                                  notetypes.recall_model])
def test_the_required_fields_given_match_what_genanki_computes(make):
    import genanki

    model = make()
    reference = genanki.Model(model.model_id, model.name, fields=model.fields,
                              templates=model.templates)
    assert model._req == reference._req
