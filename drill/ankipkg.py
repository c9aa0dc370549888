"""Read the review history out of a package Anki exported (.apkg or .colpkg).

What `drill import anki FILE` reads; deciding which notes are drill's, and what to make of
the reviews, is the command's business. Nothing here imports `anki`: the package is a zip
holding an SQLite collection, read with the standard library (plus a zstd decoder for the
current format).

Formats (Anki's rslib/src/import_export/package/meta.rs and colpkg/export.rs):

  version 1   no `meta`; collection.anki2 (schema 11), deflated by the zip
  version 2   collection.anki21 (schema 11), deflated; a `meta` (protobuf, b"\\x08\\x02")
              only since Anki 2.1.50; older exports have none
  version 3   `meta` b"\\x08\\x03"; collection.anki21b (schema 18): one zstd stream, stored

Packages of versions 2 and 3 also carry a dummy collection.anki2 with a single note asking
to update Anki, so the collection is always picked from the version, never by looking for
collection.anki2. Media members and the media map are never read.

The checks run in this order, each before anything it guards is touched: the file is a
file of sane size; it is a zip (else it is not a package at all); the meta version; the
collection member is there, not encrypted, stored or deflated, of plausible size and
compression ratio; it unpacks (zstd streamed) within a byte cap into a temporary folder;
it is SQLite; SQLite's integrity_check passes; the tables are there; the schema (col.ver)
is one Anki opens. The copy is opened read-only (`immutable=1`, no journal, no locks) with
Anki's `unicase` collation, read whole, closed and deleted, also on errors.
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import stat
import tempfile
import zipfile
import zlib
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NoReturn

from drill.backups import sqlite_uri
from drill.errors import DrillError

__all__ = ["AnkiReview", "Package", "PackageError", "read_package"]

# -- limits --------------------------------------------------------------------------------
MAX_PACKAGE_BYTES = 4 * 1024**3      # the .apkg/.colpkg itself (media are never read)
MAX_MEMBERS = 1_000_000              # media are members "0", "1", ...: a colpkg has many
MAX_META_BYTES = 1024                # Anki's meta is 2 bytes; room for fields to come
MAX_COLLECTION_BYTES = 1024**3       # the SQLite collection once unpacked
RATIO_FLOOR_BYTES = 64 * 1024**2     # up to this, any compression ratio is believed
MAX_RATIO = 200                      # beyond it, unpacked / packed at most this
CHUNK = 1 << 16

VERSIONS = {1: "collection.anki2", 2: "collection.anki21", 3: "collection.anki21b"}
ZSTD_VERSION = 3
# Schemas Anki opens (rslib/src/storage/sqlite.rs: 11 to 18, except 12 and 13, which only
# betas of 2.1.28 wrote and which Anki refuses as too new); revlog, cards and notes are the
# same in all of them.
SCHEMAS = {11, 14, 15, 16, 17, 18}
TABLES = ("col", "notes", "cards", "revlog")
SQLITE_HEADER = b"SQLite format 3\x00"
FIELD_SEPARATOR = "\x1f"

EXPORT_AGAIN = "export it from Anki with File > Export"
TOO_NEW = ("in Anki's export dialog tick 'Support older Anki versions' and export again")


class PackageError(DrillError):
    """The file cannot be read as an Anki package; the message (one line) says what to do."""


@dataclass(frozen=True)
class AnkiReview:
    """One row of Anki's review log, with the card it belongs to."""

    review_id: int      # revlog.id: the answer time in ms since the epoch (UTC)
    guid: str           # the card's note GUID
    first_field: str    # that note's first field (drill writes the item id there)
    ord: int            # the card's template index (cards.ord), 0-based
    ease: int           # 1 Again .. 4 Easy; 0 for manual and rescheduled rows
    interval: int       # revlog.ivl: days if positive, seconds if negative
    last_interval: int  # revlog.lastIvl, the same units
    factor: int         # ease x10 (2500 = 250%); 0 while learning; FSRS: difficulty
    time_ms: int        # time spent answering
    kind: int           # revlog.type: 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual,
    #                     5 rescheduled


@dataclass(frozen=True)
class Package:
    """What a package holds, read whole; no file stays open."""

    version: int                # 1, 2 or 3: the meta version (see the module's docstring)
    notes: dict[str, str]       # guid -> first field, for every note in the package
    reviews: list[AnkiReview]   # every revlog row whose card (and note) exists, oldest first
    cards: int                  # how many cards
    studied_cards: int          # cards that are not new (type != 0) or have reps > 0


def read_package(path: str | os.PathLike[str]) -> Package:
    """Read the notes, cards and review log of the Anki package at `path`.

    Raises PackageError, with a one-line message that names the file and says what to do,
    when it is not a readable package of a format drill knows.
    """
    path = Path(path)
    name = _shown(path)
    _check_file(path, name)
    try:
        scratch = tempfile.TemporaryDirectory(prefix="drill-anki-", ignore_cleanup_errors=True)
    except OSError as exc:
        raise PackageError(f"cannot make a temporary folder in {tempfile.gettempdir()} to read "
                           f"{name} ({_reason(exc)}); set TMPDIR to a writable folder") from None
    with scratch as folder:
        copy = Path(folder) / "collection.sqlite"
        version = _unpack(path, name, copy)
        return _read_collection(copy, name, version)


# -- the file and the zip ------------------------------------------------------------------


def _shown(path: Path) -> str:
    """The path as given, on one line whatever its name holds."""
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", str(path))


def _check_file(path: Path, name: str) -> None:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise PackageError(f"there is no file {name}; give the .apkg or .colpkg Anki exported") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        raise PackageError(f"cannot read {name} ({_reason(exc)}); give the .apkg or .colpkg "
                           "Anki exported") from None
    if stat.S_ISDIR(info.st_mode):
        raise PackageError(f"{name} is a folder; give the .apkg or .colpkg file Anki exported")
    if not stat.S_ISREG(info.st_mode):
        raise PackageError(f"{name} is not a file; give the .apkg or .colpkg Anki exported")
    if info.st_size > MAX_PACKAGE_BYTES:
        raise PackageError(f"{name} is larger than {MAX_PACKAGE_BYTES // 1024**3} GiB; in Anki "
                           "export only drill's decks (File > Export, Anki Deck Package), "
                           "without media")
    try:
        with open(path, "rb") as file:
            head = file.read(4)
    except OSError as exc:
        raise PackageError(f"cannot read {name} ({_reason(exc)}); give the .apkg or .colpkg "
                           "Anki exported") from None
    if head[:2] != b"PK":  # every zip Anki writes starts with a local header (or is empty)
        raise PackageError(f"{name} is not an Anki package (.apkg or .colpkg): {EXPORT_AGAIN}")


def _reason(exc: OSError | ValueError) -> str:
    return (getattr(exc, "strerror", None) or str(exc)).lower()


def _damaged(name: str, what: str) -> PackageError:
    what = " ".join(str(what).split())  # one line, whatever a library's message holds
    return PackageError(f"{name} is damaged ({what}); {EXPORT_AGAIN} again")


def _unpack(path: Path, name: str, copy: Path) -> int:
    """Write the package's collection to `copy`; return the package version."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise _damaged(name, f"not a readable zip: {exc}") from None
    except OSError as exc:
        raise PackageError(f"cannot read {name} ({_reason(exc)})") from None
    with archive:
        if len(archive.infolist()) > MAX_MEMBERS:
            raise _damaged(name, f"more than {MAX_MEMBERS} files in the zip")
        version = _version(archive, name)
        info = _member(archive, name, VERSIONS[version])
        try:
            with archive.open(info) as source, open(copy, "wb") as target:
                if version == ZSTD_VERSION:
                    _unzstd(source, target, name, info.compress_size)
                else:  # zipfile stops at the declared size and checks the CRC
                    _copy(source, target, name, info.compress_size)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
            raise _damaged(name, f"{info.filename}: {exc}") from None
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
                raise PackageError(f"no room to unpack {name} in {tempfile.gettempdir()}; free "
                                   "some space there or set TMPDIR to a roomier folder") from None
            raise PackageError(f"cannot read {name} ({_reason(exc)})") from None
    return version


def _version(archive: zipfile.ZipFile, name: str) -> int:
    """The package version, as Anki decides it (meta.rs `from_archive`)."""
    names = set(archive.namelist())
    if "meta" in names:
        info = archive.getinfo("meta")
        if info.file_size > MAX_META_BYTES:
            raise _damaged(name, f"its meta file has {info.file_size} bytes")
        try:
            version = _meta_version(archive.read(info))
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError,
                RuntimeError) as exc:
            raise _damaged(name, f"meta: {exc}") from None
        if version not in VERSIONS:  # 0 (no version) or above 3: Anki says "too new" too
            raise PackageError(f"{name} was written by a newer Anki (package format "
                               f"{version}; drill reads 1 to 3); {TOO_NEW}")
        return version
    if "collection.anki21b" in names:  # Anki would read the dummy collection.anki2 here
        raise _damaged(name, "a collection.anki21b without the meta file that says so")
    if "collection.anki21" in names:  # before Anki 2.1.50, legacy packages had no meta
        return 2
    if "collection.anki2" in names:
        return 1
    raise PackageError(f"{name} holds no Anki collection, so it is not an Anki package "
                       f"(.apkg or .colpkg): {EXPORT_AGAIN}")


def _meta_version(data: bytes) -> int:
    """PackageMetadata.version (field 1, a varint) from the protobuf in `meta`; 0 if absent.
    Fields this reader does not know are skipped, as protobuf does."""
    version, at = 0, 0
    while at < len(data):
        key, at = _varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = _varint(data, at)
            if number == 1:
                version = value
        elif wire == 1:
            at += 8
        elif wire == 2:
            length, at = _varint(data, at)
            at += length
        elif wire == 5:
            at += 4
        else:
            raise ValueError(f"protobuf wire type {wire}")
        if at > len(data):
            raise ValueError("protobuf cut short")
    return version


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if at >= len(data) or shift > 63:
            raise ValueError("protobuf varint cut short")
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, at
        shift += 7


def _member(archive: zipfile.ZipFile, name: str, member: str) -> zipfile.ZipInfo:
    """The collection member, checked before a byte of it is unpacked."""
    try:
        info = archive.getinfo(member)
    except KeyError:
        raise PackageError(f"{name} holds no {member}, the collection its format needs; "
                           f"{EXPORT_AGAIN} again") from None
    if info.flag_bits & 0x1:
        raise _damaged(name, f"{member} is encrypted, which Anki never does")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _damaged(name, f"{member} uses zip compression method {info.compress_type}, "
                       "which Anki never does")
    if info.file_size > _cap(info.compress_size):
        _too_big(name, info.compress_size, _cap(info.compress_size))
    return info


def _cap(packed: int) -> int:
    """The most bytes a collection of `packed` bytes in the zip may unpack to."""
    return min(MAX_COLLECTION_BYTES, max(RATIO_FLOOR_BYTES, MAX_RATIO * packed))


def _too_big(name: str, packed: int, cap: int) -> NoReturn:
    if cap >= MAX_COLLECTION_BYTES:
        raise PackageError(f"{name} holds a collection larger than {_size(cap)}; in Anki "
                           "export only drill's decks (File > Export, Anki Deck Package)")
    raise PackageError(f"{name} is not a plausible Anki package: its collection would unpack "
                       f"to more than {_size(cap)} from {_size(packed)} (a zip bomb?); "
                       f"{EXPORT_AGAIN} again")


def _size(count: int) -> str:
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count} bytes"


def _copy(source: IO[bytes], target: IO[bytes], name: str, packed: int) -> None:
    cap, written = _cap(packed), 0
    while chunk := source.read(CHUNK):
        written += len(chunk)
        if written > cap:
            _too_big(name, packed, cap)
        target.write(chunk)


def _unzstd(source: IO[bytes], target: IO[bytes], name: str, packed: int) -> None:
    """Decompress the zstd stream `source` (`packed` bytes) into `target`, refusing more
    than `_cap(packed)` bytes.

    Anki's encoder streams, so the frame header has no content size: decompress in chunks.
    Concatenated frames are read as one stream, as Anki's decoder does.
    """
    # `import a.b as c`, not `from a import b`: it fails whenever the submodule cannot be
    # imported, even when a package of that name was imported before
    try:
        import compression.zstd as zstd
    except ImportError:
        try:
            import backports.zstd as zstd
        except ImportError:
            raise PackageError(f"{name} is in Anki's current format, which needs the Python "
                               f"package backports.zstd (pip install backports.zstd); or "
                               f"{TOO_NEW}") from None
    cap, written = _cap(packed), 0
    try:
        with zstd.ZstdFile(source, "rb") as stream:
            while chunk := stream.read(CHUNK):
                written += len(chunk)
                if written > cap:
                    _too_big(name, packed, cap)
                target.write(chunk)
    except zstd.ZstdError as exc:
        raise _damaged(name, f"collection.anki21b: {exc}") from None
    except EOFError:
        raise _damaged(name, "collection.anki21b is cut short") from None


# -- the collection ------------------------------------------------------------------------


def _unicase(left: str, right: str) -> int:
    """Anki's `unicase` collation (rslib/src/storage/sqlite.rs: UniCase's Unicode case
    folding). Schema 18 declares it on names; SQLite's integrity_check needs it."""
    left, right = left.casefold(), right.casefold()
    return (left > right) - (left < right)


def _read_collection(copy: Path, name: str, version: int) -> Package:
    with open(copy, "rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise _damaged(name, f"its {VERSIONS[version]} is not an SQLite database")
    try:
        with closing(sqlite3.connect(sqlite_uri(copy, mode="ro", immutable="1"), uri=True)) as db:
            db.create_collation("unicase", _unicase)
            db.execute("pragma trusted_schema = off")
            _check_collection(db, name, version)
            return _contents(db, name, version)
    except sqlite3.DatabaseError as exc:
        raise _damaged(name, f"{VERSIONS[version]}: {exc}") from None


def _check_collection(db: sqlite3.Connection, name: str, version: int) -> None:
    try:
        problems = [row[0] for row in db.execute("pragma integrity_check")]
    except sqlite3.DatabaseError as exc:
        _refuse_schema(db, name)  # a newer schema may need what this reader lacks
        raise _damaged(name, f"{VERSIONS[version]}: {exc}") from None
    if problems != ["ok"]:
        # rows may hold several lines, under headers such as "*** in database main ***"
        lines = [line for problem in problems for line in str(problem).splitlines()
                 if line.strip() and not line.startswith("***")] or ["no answer"]
        more = f", and {len(lines) - 1} more problems" if len(lines) > 1 else ""
        raise _damaged(name, f"SQLite finds: {lines[0]}{more}")
    tables = {row[0] for row in db.execute("select name from sqlite_master where type = 'table'")}
    missing = [table for table in TABLES if table not in tables]
    if missing:
        raise PackageError(f"{name} holds a database that is not an Anki collection (no "
                           f"{', '.join(missing)} table); {EXPORT_AGAIN} again")
    _refuse_schema(db, name)


def _refuse_schema(db: sqlite3.Connection, name: str) -> None:
    """Refuse a collection schema (col.ver) that is not one Anki opens today."""
    try:
        row = db.execute("select ver from col").fetchone()
    except sqlite3.DatabaseError:
        return  # the caller says what is wrong
    ver = row[0] if row else None
    if ver in SCHEMAS:
        return
    if isinstance(ver, int) and ver > min(SCHEMAS):
        raise PackageError(f"{name} was written by a newer Anki (collection schema {ver}; "
                           f"drill reads {min(SCHEMAS)} to {max(SCHEMAS)}); {TOO_NEW}")
    if isinstance(ver, int) and 0 < ver < min(SCHEMAS):
        raise PackageError(f"{name} was written by an old Anki (collection schema {ver}); open "
                           "it in a current Anki and export it again with File > Export")
    raise PackageError(f"{name} holds a collection without a schema version drill knows "
                       f"({ver!r}); {EXPORT_AGAIN} again")


def _contents(db: sqlite3.Connection, name: str, version: int) -> Package:
    notes = {}
    for guid, fields in db.execute("select guid, flds from notes"):
        if not isinstance(guid, str) or not isinstance(fields, str):
            raise _damaged(name, "a note whose GUID or fields are not text")
        notes[guid] = fields.split(FIELD_SEPARATOR, 1)[0]
    reviews = []
    for row in db.execute(
        "select r.id, n.guid, n.flds, c.ord, r.ease, r.ivl, r.lastIvl, r.factor, r.time,"
        " r.type from revlog r join cards c on c.id = r.cid join notes n on n.id = c.nid"
        " order by r.id"
    ):
        review_id, guid, fields, *numbers = row
        if not all(type(number) is int for number in (review_id, *numbers)):
            raise _damaged(name, f"review {review_id!r} holds something other than whole numbers")
        reviews.append(AnkiReview(review_id, guid, fields.split(FIELD_SEPARATOR, 1)[0], *numbers))
    cards, studied = db.execute(
        "select count(*), coalesce(sum(type != 0 or reps > 0), 0) from cards").fetchone()
    return Package(version=version, notes=notes, reviews=reviews, cards=cards,
                   studied_cards=studied)
