"""Writing an .apkg file: the collection genanki builds, zipped, written atomically."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path


def write_package(package, path: Path, timestamp: int) -> None:
    """Write the package to `path` atomically, with no clock-dependent bytes.

    genanki's own `Package.write_to_file` leaves its temporary database behind and stamps
    the zip entries with the current time; this writes the same content without either, and
    builds the collection in memory, so that nothing is left in the temporary folder when
    the export is killed.
    """
    import io
    import itertools

    from drill.exporters.html import write_files

    conn = sqlite3.connect(":memory:")
    try:
        # ids count up from the newest change time: stable for the same content
        package.write_to_db(conn.cursor(), timestamp, itertools.count(timestamp * 1000))
        conn.commit()
        collection = conn.serialize()
    finally:
        conn.close()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        _add(out, "collection.anki2", collection)
        _add(out, "media", b"{}")
    write_files([(path, archive.getvalue())])


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)
