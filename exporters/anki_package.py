"""Writing an .apkg file: the collection genanki builds, zipped, written atomically.

The package carries a deck preset (Anki's "deck options group") of drill's own. genanki
writes every deck under preset 1, Anki's "Default", which Anki's importer never imports, and
which all of the learner's decks share. drill's decks need burying of siblings (a numeric
item has up to 20 variant cards, the cards of one note; without burying, one day shows two
of them), so the package adds a preset named `drill` and puts each of its decks under it.

How Anki imports presets (rslib/src/import_export/ in Anki's sources):

* Only with "Import any deck presets" ticked (`with_deck_configs`). Without it, every
  imported deck's preset is reset to Default (gather.rs, `reset_decks`), and nothing of the
  learner's presets changes.
* A preset is added only when no preset with its id exists (`add_deck_config_if_unique`,
  an `INSERT OR IGNORE`): once imported, the learner's copy is kept, edits and all, on every
  later import. Hence PRESET_ID never changes.
* A deck that already exists takes the package's preset unless that is Default
  (`update_normal_with_other` in package/apkg/import/decks.rs), even when the learner had
  moved it to a preset of their own; imported without presets, it keeps theirs.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

from drill.session import DEFAULT_NEW_PER_DAY

# drill's deck preset. Never change the id: Anki matches presets by id, keeping the learner's
# own copy once imported (so their edits survive re-imports); a new id would add a second
# preset named `drill`. It sits far below Anki's own preset ids (creation times in epoch
# milliseconds), so it cannot meet one, and below 2**53, so JavaScript reads it exactly.
PRESET_ID = 1748306400
PRESET_NAME = "drill"
# The preset's modification time, fixed so that the same input gives the same bytes.
PRESET_MOD = 1748306400
DEFAULT_PRESET_ID = 1  # Anki's "Default" preset: never imported, so never written to
DEFAULT_DECK_ID = 1  # Anki's "Default" deck, which genanki always writes


def write_package(package: Any, path: Path, timestamp: int, *,
                  new_per_day: int = DEFAULT_NEW_PER_DAY) -> None:
    """Write the package to `path` atomically, with no clock-dependent bytes.

    genanki's own `Package.write_to_file` leaves its temporary database behind and stamps
    the zip entries with the current time; this writes the same content without either, and
    builds the collection in memory, so that nothing is left in the temporary folder when
    the export is killed. Every deck in it is put under drill's preset (`add_preset`), which
    introduces `new_per_day` new cards a day.
    """
    import io
    import itertools

    from .html import write_files

    conn = sqlite3.connect(":memory:")
    try:
        # ids count up from the newest change time: stable for the same content
        package.write_to_db(conn.cursor(), timestamp, itertools.count(timestamp * 1000))
        add_preset(conn, new_per_day)
        conn.commit()
        collection = conn.serialize()
    finally:
        conn.close()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        _add(out, "collection.anki2", collection)
        _add(out, "media", b"{}")
    write_files([(path, archive.getvalue())])


def add_preset(conn: sqlite3.Connection, new_per_day: int = DEFAULT_NEW_PER_DAY) -> None:
    """Add drill's preset to the (schema 11) collection genanki wrote, and put every deck
    but Default under it.

    The preset starts as a copy of the Default preset genanki wrote, so every key Anki's
    reader requires is there (rslib/src/deckconfig/schema11.rs); then burying of new, review
    and interday-learning siblings is turned on, so that Anki shows one card of a note a day.
    """
    if isinstance(new_per_day, bool) or not isinstance(new_per_day, int) or new_per_day < 0:
        raise ValueError(f"new_per_day must be a whole number from 0, got {new_per_day!r}")
    decks_json, presets_json = conn.execute("SELECT decks, dconf FROM col").fetchone()
    decks, presets = json.loads(decks_json), json.loads(presets_json)
    preset = json.loads(json.dumps(presets[str(DEFAULT_PRESET_ID)]))
    preset.update(id=PRESET_ID, name=PRESET_NAME, mod=PRESET_MOD, usn=0, buryInterdayLearning=True)
    preset["new"].update(bury=True, perDay=new_per_day)
    preset["rev"].update(bury=True)
    presets[str(PRESET_ID)] = preset
    for deck in decks.values():
        if deck["id"] != DEFAULT_DECK_ID:
            deck["conf"] = PRESET_ID
    conn.execute("UPDATE col SET decks = ?, dconf = ?", (json.dumps(decks), json.dumps(presets)))


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)
