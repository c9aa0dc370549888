"""drill.ankipkg reads the review history out of what Anki exports, and refuses the rest.

One phone collection (the real `anki` package) imports drill's own export, is studied on
five simulated days and exported in every format; each package must give back exactly the
review log the phone holds. Damaged, foreign and hostile files are made from those exports.
"""

from __future__ import annotations

import sqlite3
import struct
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from drill.ankipkg import AnkiReview, Package, PackageError, read_package
from drill.errors import DrillError
from drill.exporters.anki import AnkiExporter, note_guid
from tests.anki_study import export_all, phone_with_drill, study

try:
    from compression import zstd
except ImportError:
    from backports import zstd

DAYS = 5
DAY_MS = 86_400_000
SCHEDULED = ("apkg", "apkg-legacy", "colpkg", "colpkg-legacy")
VERSIONS = {"apkg": 3, "apkg-legacy": 2, "colpkg": 3, "colpkg-legacy": 2, "apkg-nosched": 3}


@pytest.fixture(scope="module")
def phone(tmp_path_factory, deck):
    """The studied phone and what it holds, read with Anki itself; then its exports."""
    folder = tmp_path_factory.mktemp("phone")
    AnkiExporter().export([deck], folder / "drill.apkg", variants=3)
    col = phone_with_drill(folder / "collection", folder / "drill.apkg")
    try:
        study(col, DAYS, seed=3)
        reviews = []
        for rid, cid, ease, ivl, last, factor, taken, kind in col.db.all(
                "select id, cid, ease, ivl, lastIvl, factor, time, type from revlog"):
            card = col.get_card(cid)
            note = card.note()
            reviews.append(AnkiReview(rid, note.guid, note.fields[0], card.ord, ease, ivl, last,
                                      factor, taken, kind))
        held = {
            "reviews": sorted(reviews, key=lambda review: review.review_id),
            "notes": {guid: fields.split("\x1f")[0]
                      for guid, fields in col.db.all("select guid, flds from notes")},
            "cards": col.card_count(),
            "studied": col.db.scalar("select count(*) from cards where type != 0 or reps > 0"),
            "today_ends_ms": col.sched.day_cutoff * 1000,
        }
        held["exports"] = export_all(col, folder / "exports")
        held["drill"] = folder / "drill.apkg"
    finally:
        col.close()
    return held


@pytest.fixture(scope="module")
def packages(phone):
    return {kind: read_package(path) for kind, path in phone["exports"].items()}


# -- what every format gives ---------------------------------------------------------------


def test_the_phone_studied_on_each_of_the_days_and_never_in_the_future(phone):
    reviews = phone["reviews"]
    days_ago = {(phone["today_ends_ms"] - 1 - review.review_id) // DAY_MS for review in reviews}
    assert days_ago == set(range(DAYS))
    assert reviews[-1].review_id <= time.time() * 1000
    assert {review.kind for review in reviews} >= {0, 1}  # learning and reviews
    assert {review.ease for review in reviews} == {1, 2, 3, 4}
    assert 0 < phone["studied"] < phone["cards"]


@pytest.mark.parametrize("kind", SCHEDULED)
def test_each_scheduled_export_gives_the_phone_s_review_log(phone, packages, kind):
    package = packages[kind]
    assert isinstance(package, Package)
    assert package.version == VERSIONS[kind]
    assert package.reviews == phone["reviews"]
    assert package.cards == phone["cards"]
    assert package.studied_cards == phone["studied"]


@pytest.mark.parametrize("kind", VERSIONS)
def test_notes_are_the_phone_s_with_drill_s_guids_and_ids(phone, packages, deck, kind):
    notes = packages[kind].notes
    assert notes == phone["notes"]  # the real collection, never the dummy collection.anki2
    assert {note_guid(item.id): item.id for item in deck.items}.items() <= notes.items()


def test_an_export_without_scheduling_has_no_reviews_and_no_studied_card(phone, packages):
    package = packages["apkg-nosched"]
    assert package.reviews == []
    assert package.studied_cards == 0
    assert package.cards == phone["cards"]


def test_drill_s_own_export_is_a_version_1_package_with_nothing_studied(phone):
    package = read_package(str(phone["drill"]))
    assert (package.version, package.reviews, package.studied_cards) == (1, [], 0)
    assert package.notes.items() <= phone["notes"].items()


def rewrite(source: Path, target: Path, replace: dict[str, bytes | None]) -> Path:
    """A copy of a zip with members replaced (None: removed), added or kept as they were."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = replace.pop(info.filename, old.read(info))
            if data is not None:
                new.writestr(info, data)
        for name, data in replace.items():
            if data is not None:
                new.writestr(name, data, zipfile.ZIP_DEFLATED)
    return target


def member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def test_packages_without_meta_read_as_anki_reads_them(phone, tmp_path):
    """Before Anki 2.1.50 no package had a meta file: collection.anki21 (beside the dummy
    collection.anki2) means version 2, a lone collection.anki2 version 1."""
    legacy = phone["exports"]["apkg-legacy"]
    old = rewrite(legacy, tmp_path / "old.apkg", {"meta": None})
    oldest = rewrite(legacy, tmp_path / "oldest.apkg", {
        "meta": None, "collection.anki21": None,
        "collection.anki2": member(legacy, "collection.anki21")})
    assert read_package(old).version == 2
    assert read_package(oldest).version == 1
    assert read_package(old).reviews == read_package(oldest).reviews == phone["reviews"]


def test_a_meta_with_a_field_to_come_and_a_collection_in_two_zstd_frames_still_read(
        phone, tmp_path):
    current = phone["exports"]["apkg"]
    database = zstd.decompress(member(current, "collection.anki21b"))
    half = len(database) // 2
    frames = zstd.compress(database[:half]) + zstd.compress(database[half:])
    path = rewrite(current, tmp_path / "later.apkg",
                   {"meta": b"\x08\x03\x12\x02hi", "collection.anki21b": frames})
    assert read_package(path).reviews == phone["reviews"]


def test_legacy_packages_need_no_zstd_and_current_ones_name_the_package_to_install(
        phone, monkeypatch):
    monkeypatch.setitem(sys.modules, "compression.zstd", None)  # import fails, as without it
    monkeypatch.setitem(sys.modules, "backports.zstd", None)
    assert read_package(phone["exports"]["apkg-legacy"]).reviews == phone["reviews"]
    with pytest.raises(PackageError, match=r"backports\.zstd.*Support older Anki versions"):
        read_package(phone["exports"]["apkg"])


def test_no_temporary_file_is_left_behind(phone, tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    read_package(phone["exports"]["apkg"])
    read_package(phone["exports"]["colpkg-legacy"])
    with pytest.raises(PackageError):
        read_package(with_schema(phone["exports"]["apkg"], tmp_path / "v99.apkg", 99))
    assert list(scratch.iterdir()) == []


# -- refusals ------------------------------------------------------------------------------


def with_database(source: Path, target: Path, change) -> Path:
    """A copy of a package whose collection went through change(path of an SQLite copy)."""
    with zipfile.ZipFile(source) as archive:
        name = "collection.anki21b" if "collection.anki21b" in archive.namelist() \
            else "collection.anki21"
    data = member(source, name)
    database = target.with_suffix(".sqlite")
    database.write_bytes(zstd.decompress(data) if name.endswith("b") else data)
    change(database)
    data = database.read_bytes()
    return rewrite(source, target, {name: zstd.compress(data) if name.endswith("b") else data})


def with_schema(source: Path, target: Path, ver: int) -> Path:
    def change(database):
        with sqlite3.connect(database) as db:
            db.execute("update col set ver = ?", (ver,))
        db.close()
    return with_database(source, target, change)


def corrupt_revlog_page(database: Path) -> None:
    """Scramble the cell pointers of the review log's root page, as a bad disk would."""
    with sqlite3.connect(database) as db:
        page_size = db.execute("pragma page_size").fetchone()[0]
        root = db.execute("select rootpage from sqlite_master where name = 'revlog'").fetchone()[0]
    db.close()
    data = bytearray(database.read_bytes())
    start = (root - 1) * page_size
    for at in range(start + 8, start + 64):
        data[at] ^= 0x5A
    database.write_bytes(bytes(data))


def truncate(database: Path) -> None:
    database.write_bytes(database.read_bytes()[: database.stat().st_size // 2])


def deflate_bomb(target: Path, name: str, size: int) -> Path:
    """A zip whose one member is `size` zero bytes, deflated about 1000 to 1.

    Written by hand: after a full flush each MiB of zeros deflates to the same bytes, so the
    stream is one MiB's repeated, and nothing the size of the member is ever compressed."""
    mib = b"\0" * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = compressor.compress(mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = size >> 20
    data = piece * count + b"\x03\x00"  # an empty last block
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(mib, crc)
    encoded = name.encode()
    # flags, method (8: deflate), time, date, CRC, packed and unpacked sizes
    common = struct.pack("<HHHHIII", 0, 8, 0, 0, crc, len(data), count << 20)
    local = b"PK\x03\x04" + struct.pack("<H", 20) + common + struct.pack("<HH", len(encoded), 0)
    central = (b"PK\x01\x02" + struct.pack("<HH", 20, 20) + common
               + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, 0))
    local, central = local + encoded, central + encoded
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 1, 1, len(central),
                                      len(local) + len(data), 0)
    target.write_bytes(local + data + central + end)
    assert zlib.decompressobj(-15).decompress(data, 1 << 20) == mib  # it does unpack
    return target


def zstd_bomb(source: Path, target: Path) -> Path:
    """A current-format package whose collection is 1.5 GiB of zeros in about 50 KB."""
    frame = zstd.compress(b"\0" * (16 << 20))
    return rewrite(source, target, {"collection.anki21b": frame * 96})


def zip_of(target: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


def a_foreign_database(source: Path, target: Path) -> Path:
    database = target.with_suffix(".sqlite")
    with sqlite3.connect(database) as db:
        db.execute("create table t (x)")
    db.close()
    return rewrite(source, target, {"collection.anki21": database.read_bytes()})


def bit_flipped(source: Path, target: Path) -> Path:
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo("collection.anki21")
    at = info.header_offset + 30 + len(info.filename) + len(info.extra) + info.compress_size // 2
    data[at] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


CURRENT, LEGACY = "apkg", "apkg-legacy"
NOT_A_PACKAGE = "is not an Anki package (.apkg or .colpkg): export it from Anki with File > Export"
NO_COLLECTION = "holds no Anki collection"
TOO_NEW = "written by a newer Anki"
TICK = "tick 'Support older Anki versions' and export again"
DAMAGED = "is damaged ("
REFUSALS = {
    # case: (how to make it from the phone's exports and a target path, what the message says)
    "not a zip": (lambda e, t: t.write_bytes(b"Front,Back\nrelu,max(0, x)\n") and t, NOT_A_PACKAGE),
    "an empty file": (lambda e, t: t.write_bytes(b"") or t, NOT_A_PACKAGE),
    "an empty zip": (lambda e, t: zip_of(t, {}), NO_COLLECTION),
    "a zip with another file": (lambda e, t: zip_of(t, {"deck.txt": b"relu"}), NO_COLLECTION),
    "a cut-off zip": (lambda e, t: t.write_bytes(e[LEGACY].read_bytes()[:-200]) and t, DAMAGED),
    "meta version 4": (lambda e, t: rewrite(e[CURRENT], t, {"meta": b"\x08\x04"}), TICK),
    "meta without a version": (lambda e, t: rewrite(e[CURRENT], t, {"meta": b""}), TOO_NEW),
    "meta that is not protobuf": (lambda e, t: rewrite(e[CURRENT], t, {"meta": b"\xff"}),
                                  DAMAGED),
    "meta 3 without its collection": (
        lambda e, t: rewrite(e[CURRENT], t, {"collection.anki21b": None}),
        "holds no collection.anki21b"),
    "collection.anki21b without meta": (lambda e, t: rewrite(e[CURRENT], t, {"meta": None}),
                                        DAMAGED),
    "col.ver 99": (lambda e, t: with_schema(e[CURRENT], t, 99), TICK),
    "col.ver 99, legacy": (lambda e, t: with_schema(e[LEGACY], t, 99), TICK),
    "col.ver 12": (lambda e, t: with_schema(e[LEGACY], t, 12), TOO_NEW),
    "col.ver 5": (lambda e, t: with_schema(e[LEGACY], t, 5), "written by an old Anki"),
    "a truncated zstd collection": (
        lambda e, t: rewrite(e[CURRENT], t, {"collection.anki21b": member(
            e[CURRENT], "collection.anki21b")[:-100]}), "collection.anki21b is cut short"),
    "a truncated collection": (lambda e, t: with_database(e[LEGACY], t, truncate), DAMAGED),
    # SQLite either lists what its integrity check finds or stops at the first bad page,
    # depending on where the page's scrambled pointers land: both are damage.
    "a corrupted page": (lambda e, t: with_database(e[LEGACY], t, corrupt_revlog_page), DAMAGED),
    "a corrupted page, current format": (
        lambda e, t: with_database(e[CURRENT], t, corrupt_revlog_page), DAMAGED),
    "a bit flipped in the zip": (lambda e, t: bit_flipped(e[LEGACY], t), DAMAGED),
    "a collection that is not zstd": (
        lambda e, t: rewrite(e[CURRENT], t, {"collection.anki21b": b"relu" * 100}), DAMAGED),
    "a collection that is not SQLite": (
        lambda e, t: rewrite(e[LEGACY], t, {"collection.anki21": b"relu" * 100}),
        "is not an SQLite database"),
    "another SQLite database": (lambda e, t: a_foreign_database(e[LEGACY], t),
                                "not an Anki collection (no col, notes"),
    "a zstd bomb": (lambda e, t: zstd_bomb(e[CURRENT], t), "to more than 64 MiB from"),
    "a deflate bomb": (lambda e, t: deflate_bomb(t, "collection.anki21", 100 << 20), "zip bomb"),
    "a folder": (lambda e, t: t.mkdir() or t, "is a folder"),
    "a missing file": (lambda e, t: t, "there is no file"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_refusals_say_in_one_line_which_file_and_what_to_do(phone, tmp_path, case):
    make, says = REFUSALS[case]
    path = tmp_path / f"{case.replace(' ', '-').replace(',', '')}.apkg"
    path = make(phone["exports"], path)
    started = time.perf_counter()
    with pytest.raises(PackageError) as refused:
        read_package(path)
    message = str(refused.value)
    assert isinstance(refused.value, DrillError)
    assert "\n" not in message and path.name in message
    assert says in message
    assert time.perf_counter() - started < 5


def test_a_name_with_a_line_break_is_still_shown_on_one_line(tmp_path):
    path = tmp_path / "two\nlines.apkg"
    path.write_bytes(b"no zip")
    with pytest.raises(PackageError, match=r"two\\x0alines\.apkg is not an Anki package"):
        read_package(path)

