"""`drill import anki`: reviews done in Anki come back into drill's one log.

End to end with the real `anki` package: drill's export is imported into a new Anki
collection, studied with Anki's own scheduler over simulated days (tests/anki_study.py),
exported with scheduling in every format, then imported by the CLI into a fresh drill
database each test.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from drill.exporters.anki import AnkiExporter
from drill.loader import load_builtin
from tests.anki_study import export_all, phone_with_drill, study

NOW = datetime.now(UTC).replace(microsecond=0)
REAL_NOW = {"DRILL_NOW": NOW.isoformat()}  # Anki's reviews are dated by the real clock
GRADES = "(0, 1, 2, 3)"  # learn, review, relearn, filtered: the rows drill imports


@pytest.fixture(scope="module")
def phone(tmp_path_factory):
    """drill's package studied in Anki for 4 days and exported ("early"), then 3 more days
    and exported in every format."""
    folder = tmp_path_factory.mktemp("phone")
    apkg = folder / "drill.apkg"
    AnkiExporter().export([load_builtin()], apkg, variants=3)
    col = phone_with_drill(folder / "anki", apkg)
    try:
        study(col, 4, seed=1, start_days_ago=8)
        early = export_all(col, folder / "early")["apkg"]
        study(col, 3, seed=2, start_days_ago=2)
        paths = export_all(col, folder / "late")
        revlog = col.db.all(
            f"SELECT r.id, n.guid, c.ord FROM revlog r JOIN cards c ON c.id = r.cid "
            f"JOIN notes n ON n.id = c.nid WHERE r.type IN {GRADES} AND r.ease > 0")
    finally:
        col.close()
    return {"early": early, **paths, "revlog": revlog}


def imported(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT anki_card, anki_id FROM reviews WHERE source = 'anki' "
                            "ORDER BY anki_id").fetchall()


def snapshot(db: Path) -> tuple[bytes, int]:
    return db.read_bytes(), db.stat().st_mtime_ns


@pytest.mark.parametrize("kind", ["apkg", "apkg-legacy", "colpkg", "colpkg-legacy"])
def test_every_anki_review_lands_once_and_the_cards_follow_the_merged_log(
        run, phone, kind, db_path):
    result = run("import", "anki", str(phone[kind]), env=REAL_NOW)

    assert result.exit_code == 0, result.output
    expected = sorted((f"{guid}:{ord_}", review_id) for review_id, guid, ord_ in phone["revlog"])
    assert sorted(imported(db_path)) == expected
    assert f"Imported {len(expected)} reviews" in result.output
    doctor = run("doctor", env=REAL_NOW)
    assert doctor.exit_code == 0 and "every card matches its review log" in doctor.output

    again = run("import", "anki", str(phone[kind]), env=REAL_NOW)
    assert again.exit_code == 0, again.output
    assert f"Nothing new to import: the {len(expected)} reviews" in again.output
    assert sorted(imported(db_path)) == expected


def test_a_later_export_adds_only_the_reviews_done_since(run, phone, db_path):
    first = run("import", "anki", str(phone["early"]), env=REAL_NOW)
    assert first.exit_code == 0, first.output
    count = len(imported(db_path))
    assert 0 < count < len(phone["revlog"])

    later = run("import", "anki", str(phone["apkg"]), env=REAL_NOW)

    assert later.exit_code == 0, later.output
    assert f"Imported {len(phone['revlog']) - count} reviews" in later.output
    assert len(imported(db_path)) == len(phone["revlog"])


def test_the_dry_run_shows_each_item_and_writes_nothing(run, phone, db_path):
    assert run("status").exit_code == 0
    before = snapshot(db_path)

    result = run("import", "anki", str(phone["apkg"]), "--dry-run", env=REAL_NOW)

    assert result.exit_code == 0, result.output
    assert f"Would import {len(phone['revlog'])} reviews" in result.output
    assert "Nothing was written (dry run)" in result.output
    assert "forward-pass:" in result.output and "due new ->" in result.output
    assert snapshot(db_path) == before


def test_stats_show_anki_reviews_alongside_drill_s(run, phone):
    assert run("import", "anki", str(phone["apkg"]), env=REAL_NOW).exit_code == 0

    data = json.loads(run("stats", "--json", env=REAL_NOW).stdout)

    assert data["anki_reviews"] == data["total_reviews"] == len(phone["revlog"])
    assert sum(day["anki"] for day in data["reviews_per_day"]) == len(phone["revlog"])
    text = run("stats", env=REAL_NOW).output
    assert f"{len(phone['revlog'])} of them in Anki" in text


def _not_a_package(tmp_path, phone):
    path = tmp_path / "notes.apkg"
    path.write_text("just some notes")
    return path, "not an Anki package"


def _damaged(tmp_path, phone):
    path = tmp_path / "damaged.apkg"
    data = phone["apkg"].read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path, "damaged.apkg"


def _newer_format(tmp_path, phone):
    path = tmp_path / "newer.apkg"
    with zipfile.ZipFile(phone["apkg"]) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, b"\x08\x07" if info.filename == "meta" else data)
    return path, "newer Anki"


def _no_drill_notes(tmp_path, phone):
    from anki.collection import Collection, ExportAnkiPackageOptions

    col = Collection(str(tmp_path / "other.anki2"))
    try:
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"], note["Back"] = "capital of France", "Paris"
        col.add_note(note, col.decks.id_for_name("Default"))
        path = tmp_path / "other.apkg"
        col.export_anki_package(out_path=str(path), limit=None, options=ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False))
    finally:
        col.close()
    return path, "no notes exported by drill"


def _no_scheduling(tmp_path, phone):
    return phone["apkg-nosched"], "Include scheduling information"


@pytest.mark.parametrize("make", [_not_a_package, _damaged, _newer_format, _no_drill_notes,
                                  _no_scheduling])
def test_bad_packages_are_refused_with_one_line_and_nothing_changes(run, phone, db_path,
                                                                    tmp_path, make):
    assert run("status").exit_code == 0
    before = snapshot(db_path)
    path, words = make(tmp_path, phone)

    result = run("import", "anki", str(path), env=REAL_NOW)

    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ") and words in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert snapshot(db_path) == before
    assert not list((db_path.parent / "backups").glob("*before-import*"))


def test_reviews_dated_in_the_future_are_refused(run, phone, db_path):
    assert run("status").exit_code == 0
    before = snapshot(db_path)
    earlier = {"DRILL_NOW": (NOW - timedelta(days=20)).isoformat()}

    result = run("import", "anki", str(phone["apkg"]), env=earlier)

    assert result.exit_code == 1 and "in the future" in result.output, result.output
    assert snapshot(db_path) == before


def test_an_import_backs_up_first_and_drill_undo_leaves_anki_s_reviews_alone(run, phone,
                                                                             db_path):
    assert run("import", "anki", str(phone["apkg"]), env=REAL_NOW).exit_code == 0
    assert list((db_path.parent / "backups").glob("*before-import*"))

    result = run("undo", env=REAL_NOW)

    assert "Anki" not in result.output or result.exit_code != 0
    assert len(imported(db_path)) == len(phone["revlog"])


def test_anki_reviews_interleave_with_drill_s_by_time_and_drill_s_grade_wins_its_day(
        run, phone, db_path):
    from drill.store import Store

    days = sorted({datetime.fromtimestamp(review_id / 1000, UTC).date()
                   for review_id, _, _ in phone["revlog"]})
    middle = days[len(days) // 2]
    graded_at = datetime.combine(middle, datetime.min.time(), UTC) + timedelta(hours=20)
    assert run("status", env=REAL_NOW).exit_code == 0
    with Store.open(db_path) as store:
        for item_id in ("forward-pass", "softmax"):
            store.grade(item_id, 4, when=graded_at)

    result = run("import", "anki", str(phone["apkg"]), env=REAL_NOW)

    assert result.exit_code == 0, result.output
    assert run("doctor", env=REAL_NOW).exit_code == 0  # cards equal the merged replay
    with sqlite3.connect(db_path) as conn:
        moved = conn.execute(
            "SELECT item_id, day, COUNT(*) FROM reviews WHERE redrill = 0 "
            "GROUP BY item_id, day HAVING COUNT(*) > 1").fetchall()
        anki_that_day = conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(redrill), 0) FROM reviews WHERE source = 'anki' "
            "AND item_id IN ('forward-pass', 'softmax') AND day = ?",
            [middle.isoformat()]).fetchone()
    assert moved == []  # one day never moves a card twice
    assert anki_that_day[0] > 0 and anki_that_day[0] == anki_that_day[1]  # drill's grade won
