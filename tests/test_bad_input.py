"""A corpus of bad input, run through real `python -m drill` processes.

Every case gets a clear message and the right exit status (1 for errors, 2 for usage
errors), never a traceback. An error (exit 1) is exactly one line `Error: ...` on stderr
(after a `Warning: ...` line for each added deck that no longer loads); a failed
`drill check` (also exit 1) is its report on stdout. Typed answers that cannot be read get
a hint and another try. Grow this table with every feature.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.test_loader import GOOD_CODE_ITEM as CODE_ITEM  # the loader tests' small deck
from tests.test_loader import GOOD_ITEM as NUMERIC_ITEM

TOO_LONG = "a" * 300  # longer than any file name a Linux file system allows (255 bytes)

RIGHT_RELU = textwrap.dedent(
    """\
    import numpy as np


    def relu(z):
        return np.maximum(z, 0)


    def relu_backward(dout, z):
        return dout * (z > 0)
    """
)

DECK_TOML = 'name = "mine"\ntitle = "My deck"\ndescription = "A small deck of my own."\n'
REFERENCE = "def square(x):\n    return x * x\n\n\nEXAMPLES = [('square', (3,), 9)]\n"
STARTER = "def square(x):\n    raise NotImplementedError\n"
CASES_PY = textwrap.dedent(
    """\
    import numpy as np


    def cases(seed):
        rng = np.random.default_rng(seed)
        return [
            {"name": "square of 3", "call": "square", "args": [np.array([3.0])]},
            {"name": "square of random values", "call": "square", "args": [rng.normal(size=4)]},
        ]
    """
)
RIGHT_SQUARE = "def square(x):\n    return x * x\n"


@dataclass
class Ctx:
    """What a case's setup works with: its folder, and clean-ups to run afterwards."""

    tmp: Path
    cleanups: list = field(default_factory=list)

    @property
    def db(self) -> Path:
        return self.tmp / "drill.db"

    def write(self, name: str, data: str | bytes) -> Path:
        path = self.tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        return path

    def read_only(self, path: Path) -> None:
        """Make a file or folder read-only, even for root (who ignores permission bits)."""
        path.chmod(0o555 if path.is_dir() else 0o444)
        self.cleanups.append(lambda: path.chmod(0o755 if path.is_dir() else 0o644))
        if os.geteuid() == 0:
            done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
            if done.returncode != 0:
                pytest.skip("cannot make a file read-only for root here (no chattr +i)")
            self.cleanups.insert(0, lambda: subprocess.run(["chattr", "-i", str(path)]))


# -- setups: each takes a Ctx and returns extra environment variables ---------------------


def nothing(t: Ctx) -> dict:
    return {}


def env(**values):
    def setup(t: Ctx) -> dict:
        return {k: v.format(tmp=t.tmp) for k, v in values.items()}

    return setup


def files(**contents):
    """Write files under the case's folder (keys are names, `__` stands for `/`)."""

    def setup(t: Ctx) -> dict:
        for name, data in contents.items():
            t.write(name.replace("__", "/"), data)
        return {}

    return setup


def db_file(data: bytes):
    def setup(t: Ctx) -> dict:
        t.write("drill.db", data)
        return {}

    return setup


def _drill_db(t: Ctx, graded: bool = False) -> None:
    from drill.collection import open_collection

    with open_collection(t.db) as collection:
        if graded:
            collection.store.grade("relu", 4, when=datetime(2026, 11, 25, 9, tzinfo=timezone.utc))


def fresh_db(t: Ctx) -> dict:
    _drill_db(t)
    return {}


def other_programs_db(t: Ctx) -> dict:
    conn = sqlite3.connect(t.db)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('buy milk')")
    conn.commit()
    conn.close()
    return {}


def newer_db(t: Ctx) -> dict:
    from drill import migrations

    _drill_db(t)
    conn = sqlite3.connect(t.db)
    conn.execute(f"PRAGMA user_version = {migrations.latest_version() + 5}")
    conn.commit()
    conn.close()
    return {}


def truncated_db(t: Ctx) -> dict:
    _drill_db(t)
    with open(t.db, "r+b") as fh:
        fh.truncate(5000)
    return {}


def _tamper(t: Ctx) -> None:
    """Move a card behind its review log's back."""
    conn = sqlite3.connect(t.db)
    conn.execute("UPDATE cards SET interval = 9 WHERE item_id = 'relu'")
    conn.commit()
    conn.close()


def long_history(quality: int, count: int, card_agrees: bool = False):
    """`count` daily grades of `quality` for relu in the log, written straight into it (as an
    import or a long-kept collection has them): SM-2 alone would push the interval past any
    calendar date. With `card_agrees`, the card holds what the capped scheduler gives."""

    def setup(t: Ctx) -> dict:
        from datetime import date, timedelta

        _drill_db(t)
        first = date(2020, 1, 1)
        days = [(first + timedelta(days=k)).isoformat() for k in range(count)]
        conn = sqlite3.connect(t.db)
        conn.executemany(
            "INSERT INTO reviews (reviewed_at, day, item_id, seed, quality, correct, response_ms, redrill, "
            "easiness_before, interval_before, repetitions_before, due_before, easiness_after, "
            "interval_after, repetitions_after, due_after) "
            "VALUES (?, ?, 'relu', 0, ?, 1, 5000, 0, 2500, 0, 0, NULL, 2500, 1, 1, ?)",
            [(day + "T12:00:00+00:00", day, quality, day) for day in days])
        if card_agrees:
            ef = 2500 + count * {5: 100, 4: 0}[quality]
            due = (first + timedelta(days=count - 1 + 36_500)).isoformat()
            conn.execute("UPDATE cards SET easiness_milli = ?, interval = 36500, repetitions = ?, due = ? "
                         "WHERE item_id = 'relu'", [ef, count, due])
        conn.commit()
        conn.close()
        return {}

    return setup


def read_only_db(graded: bool):
    def setup(t: Ctx) -> dict:
        _drill_db(t, graded=graded)
        t.read_only(t.db)
        return {}

    return setup


def read_only_folder(name: str):
    def setup(t: Ctx) -> dict:
        folder = t.tmp / name
        folder.mkdir()
        t.read_only(folder)
        return {}

    return setup


def fifo(name: str):
    def setup(t: Ctx) -> dict:
        os.mkfifo(t.tmp / name)
        return {}

    return setup


def symlink_loop(t: Ctx) -> dict:
    (t.tmp / "loop1").symlink_to(t.tmp / "loop2")
    (t.tmp / "loop2").symlink_to(t.tmp / "loop1")
    return {}


def deck(*changes):
    """A good deck folder at {tmp}/deck, then `changes`: (relative file, new text or bytes or None to delete)."""

    def setup(t: Ctx) -> dict:
        root = t.tmp / "deck"
        t.write("deck/deck.toml", DECK_TOML)
        t.write("deck/01-double/item.toml", NUMERIC_ITEM)
        t.write("deck/02-square/item.toml", CODE_ITEM)
        t.write("deck/02-square/starter.py", STARTER)
        t.write("deck/02-square/reference.py", REFERENCE)
        t.write("deck/02-square/cases.py", CASES_PY)
        for name, data in changes:
            path = root / name
            if data is None:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
            elif callable(data):
                path.write_text(data(path.read_text(encoding="utf-8")), encoding="utf-8")
            else:
                t.write(f"deck/{name}", data)
        return {}

    return setup


def added_deck(*changes):
    """The good deck, added with `drill decks add`, then edited: `changes` as for deck()."""

    def setup(t: Ctx) -> dict:
        from drill.collection import add_deck, open_collection

        deck()(t)
        with open_collection(t.db) as collection:
            add_deck(collection, t.tmp / "deck")
        t.write("square.py", RIGHT_SQUARE)
        return deck(*changes)(t)

    return setup


def without(line_start: str):
    """Drop the line that starts with `line_start` from a TOML file."""

    def edit(text: str) -> str:
        kept = [line for line in text.splitlines(keepends=True) if not line.startswith(line_start)]
        assert len(kept) == len(text.splitlines()) - 1, line_start
        return "".join(kept)

    return edit


def replacing(old: str, new: str):
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new)

    return edit


def generator(source: str):
    return deck(("01-double/variants.py", textwrap.dedent(source)))


# -- the table ------------------------------------------------------------------------------

PRACTICE = ["practice", "forward-pass", "--seed", "0"]
CHECK = ["check", "relu"]
RIGHT = "2\n"  # variant 0 of forward-pass: the self-check's own answer
RIGHT_WORDS = ["✓ Right"]


def case(name, setup, argv, code, words=(), *, stdin=None, report=False, seconds=None):
    """One row: `report` marks an exit 1 that is a failed check's report, not an error;
    `seconds` bounds the running time (the process is stopped after it)."""
    return pytest.param(setup, argv, code, list(words), stdin, report, seconds, id=name)


CASES = [
    # -- seeds and counts ------------------------------------------------------------------
    case("seed -1", nothing, ["show", "forward-pass", "--seed", "-1"], 2, ["--seed", "-1"]),
    case("seed abc", nothing, ["show", "forward-pass", "--seed", "abc"], 2, ["--seed", "abc"]),
    case("seed 1.5", nothing, ["show", "forward-pass", "--seed", "1.5"], 2, ["--seed", "1.5"]),
    case("seed 2**64", nothing, ["show", "forward-pass", "--seed", str(2**64)], 2, ["--seed", str(2**64)]),
    case("seed empty", nothing, ["show", "forward-pass", "--seed", ""], 2, ["--seed"]),
    case("seed hex", nothing, ["show", "forward-pass", "--seed", "0x10"], 2, ["--seed"]),
    case("seed missing its value", nothing, ["show", "forward-pass", "--seed"], 2, ["--seed"]),
    case("practice seed -3", nothing, ["practice", "weight-decay", "--seed", "-3"], 2, ["--seed"]),
    case("check seed abc", files(**{"ok.py": RIGHT_RELU}), [*CHECK, "{tmp}/ok.py", "--seed", "abc"], 2,
         ["--seed"]),
    case("check seed 2**64", files(**{"ok.py": RIGHT_RELU}), [*CHECK, "{tmp}/ok.py", "--seed", str(2**64)],
         2, ["--seed"]),
    case("count 0", nothing, ["variants", "forward-pass", "--count", "0"], 2, ["--count", "0"]),
    case("count -5", nothing, ["variants", "forward-pass", "--count", "-5"], 2, ["--count", "-5"]),
    case("count x", nothing, ["variants", "forward-pass", "--count", "x"], 2, ["--count", "x"]),
    case("count 100000", nothing, ["variants", "forward-pass", "--count", "100000"], 2, ["--count", "100000"]),
    case("count 1e3", nothing, ["variants", "forward-pass", "--count", "1e3"], 2, ["--count"]),
    case("export variants 0", nothing, ["export", "anki", "-o", "{tmp}/x.apkg", "--variants", "0"], 2,
         ["--variants"]),
    case("export variants 99", nothing, ["export", "anki", "-o", "{tmp}/x.apkg", "--variants", "99"], 2,
         ["--variants"]),
    case("review --new -1", nothing, ["review", "--new", "-1"], 2, ["--new"]),
    case("review --new x", nothing, ["review", "--new", "x"], 2, ["--new"]),
    case("review --limit 0", nothing, ["review", "--limit", "0"], 2, ["--limit"]),
    case("review --time-box 0.1", nothing, ["review", "--time-box", "0.1"], 2, ["--time-box"]),
    *[
        case(f"review --time-box {value}", nothing, ["review", "--time-box", value], 2,
             ["--time-box", "minutes from 0.5 to 1440"])
        for value in ["nan", "NaN", "inf", "-inf", "1e308", "1e999", "1441"]
    ],
    *[
        case(f"selfcheck --time-limit {value}", nothing, ["selfcheck", "--time-limit", value], 2,
             ["--time-limit", "minutes from 0.01 to 1440"])
        for value in ["nan", "inf", "1e308", "1e-300", "1441"]
    ],
    # -- commands, arguments and options ---------------------------------------------------
    case("unknown command", nothing, ["reveiw"], 2, ["No such command"]),
    case("unknown option", nothing, ["status", "--colour"], 2, ["No such option"]),
    case("unknown decks subcommand", nothing, ["decks", "rename"], 2, ["No such command"]),
    case("unknown exporter", nothing, ["export", "pdf"], 2, ["No such command"]),
    case("show without an item", nothing, ["show"], 2, ["Missing argument"]),
    case("extra argument", nothing, ["status", "now"], 2, ["unexpected extra argument"]),
    case("starter of a numeric item", nothing, ["show", "forward-pass", "--starter"], 2,
         ["forward-pass is a numeric item"]),
    case("review without a terminal", nothing, ["review"], 1, ["needs an interactive terminal"]),
    case("review of an unknown item without a terminal", nothing, ["review", "--item", "nope"], 1,
         ["needs an interactive terminal"]),
    # -- unknown items and decks -----------------------------------------------------------
    case("show unknown item", nothing, ["show", "backprop"], 1, ["there is no item 'backprop'"]),
    case("variants unknown item", nothing, ["variants", "backprop"], 1, ["there is no item 'backprop'"]),
    case("practice unknown item", nothing, ["practice", "backprop"], 1, ["there is no item 'backprop'"]),
    case("export unknown item", nothing, ["export", "anki", "-o", "{tmp}/x.apkg", "--items", "backprop"], 1,
         ["there is no item 'backprop'"]),
    case("export no items", nothing, ["export", "anki", "-o", "{tmp}/x.apkg", "--items", ",,"], 1,
         ["no item ids given"]),
    case("status unknown deck", nothing, ["status", "--deck", "nope"], 1, ["there is no deck 'nope'"]),
    case("items unknown deck", nothing, ["items", "--deck", "nope"], 1, ["there is no deck 'nope'"]),
    case("stats unknown deck", nothing, ["stats", "--deck", "nope"], 1, ["there is no deck 'nope'"]),
    case("remove unknown deck", nothing, ["decks", "remove", "nope"], 1, ["there is no added deck 'nope'"]),
    case("remove the built-in deck", nothing, ["decks", "remove", "dl_foundations"], 1,
         ["built-in deck cannot be removed"]),
    case("undo with nothing to undo", nothing, ["undo"], 1, ["there is no grade to undo"]),
    # -- drill check: items and files ------------------------------------------------------
    case("check a numeric item", files(**{"ok.py": RIGHT_RELU}), ["check", "forward-pass", "{tmp}/ok.py"], 2,
         ["forward-pass is a numeric item", "code items"]),
    case("check a recall item", files(**{"ok.py": RIGHT_RELU}), ["check", "chain-rule", "{tmp}/ok.py"], 2,
         ["chain-rule is a recall item"]),
    case("check an unknown item", files(**{"ok.py": RIGHT_RELU}), ["check", "backprop", "{tmp}/ok.py"], 2,
         ["there is no item 'backprop'"]),
    case("check a missing file", nothing, [*CHECK, "{tmp}/missing.py"], 2, ["does not exist"]),
    case("check a file in a missing folder", nothing, [*CHECK, "{tmp}/no/such/answer.py"], 2,
         ["does not exist"]),
    case("check a directory", nothing, [*CHECK, "{tmp}"], 2, ["is a directory"]),
    case("check a binary file", files(**{"a.out": b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8}),
         [*CHECK, "{tmp}/a.out", "--seed", "0"], 1, ["binary data"], report=True),
    case("check a file with a NUL byte", files(**{"nul.py": RIGHT_RELU + "\x00\n"}),
         [*CHECK, "{tmp}/nul.py", "--seed", "0"], 1, ["binary data"], report=True),
    case("check a UTF-16 file", files(**{"u16.py": RIGHT_RELU.encode("utf-16")}),
         [*CHECK, "{tmp}/u16.py", "--seed", "0"], 1, ["not Python source"], report=True),
    case("check an empty file", files(**{"empty.py": ""}), [*CHECK, "{tmp}/empty.py", "--seed", "0"], 1,
         ["the file is empty"], report=True),
    case("check a huge file", files(**{"huge.py": RIGHT_RELU + "x = 1\n" * 200_000}),
         [*CHECK, "{tmp}/huge.py", "--seed", "0"], 1, ["a code answer should be a small .py file"],
         report=True),
    case("check a syntax error", files(**{"bad.py": RIGHT_RELU.replace("def relu(z):", "def relu(z)")}),
         [*CHECK, "{tmp}/bad.py", "--seed", "0"], 1, ["Python cannot read your code", "line 4"], report=True),
    case("check an infinite loop", files(**{"loop.py": RIGHT_RELU.replace(
        "return np.maximum(z, 0)", "while True:\n        pass")}),
         [*CHECK, "{tmp}/loop.py", "--seed", "0"], 1, ["did not finish"], report=True, seconds=20),
    case("check a sleeping answer", files(**{"sleep.py": RIGHT_RELU.replace(
        "return np.maximum(z, 0)", "import time\n    time.sleep(3600)")}),
         [*CHECK, "{tmp}/sleep.py", "--seed", "0"], 1, ["did not finish"], report=True, seconds=20),
    case("check an answer that crashes on import", files(**{"crash.py": "raise RuntimeError('boom')\n" + RIGHT_RELU}),
         [*CHECK, "{tmp}/crash.py", "--seed", "0"], 1, ["importing your code failed", "RuntimeError"],
         report=True),
    case("check an answer that exits", files(**{"exits.py": "import sys\nsys.exit(0)\n" + RIGHT_RELU}),
         [*CHECK, "{tmp}/exits.py", "--seed", "0"], 1, ["importing your code failed", "SystemExit"], report=True),
    case("check an answer that returns None", files(**{"none.py": RIGHT_RELU.replace(
        "return np.maximum(z, 0)", "pass")}),
         [*CHECK, "{tmp}/none.py", "--seed", "0"], 1, ["forget `return`", "cases passed"], report=True),
    case("check an answer that leaves a thread spinning", files(**{"thread.py": RIGHT_RELU + textwrap.dedent("""\
        import threading


        def _spin():
            while True:
                pass


        threading.Thread(target=_spin).start()
        """)}), [*CHECK, "{tmp}/thread.py", "--seed", "0"], 0, ["17 of 17 cases passed"], seconds=20),
    case("check an answer that closes its output", files(**{"closes.py": "import os\nos.close(1)\nos.close(2)\n"
                                                            + RIGHT_RELU}),
         [*CHECK, "{tmp}/closes.py", "--seed", "0"], 0, ["17 of 17 cases passed"]),
    case("check an endless loop that ignores SIGTERM", files(**{"stubborn.py": "import signal\n"
         "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n" + RIGHT_RELU.replace(
             "return np.maximum(z, 0)", "while True:\n        pass")}),
         [*CHECK, "{tmp}/stubborn.py", "--seed", "0"], 1, ["did not finish"], report=True, seconds=20),
    case("check an answer returning a booby-trapped object", files(**{"evil.py": RIGHT_RELU.replace(
        "return np.maximum(z, 0)", "return Evil()") + textwrap.dedent("""\


        class Evil:
            def __reduce__(self):
                return (exec, ("raise SystemExit(7)",))
        """)}), [*CHECK, "{tmp}/evil.py", "--seed", "0"], 1, ["expected a NumPy array"], report=True),
    case("check an answer returning a huge array", files(**{"huge_out.py": RIGHT_RELU.replace(
        "return np.maximum(z, 0)", "return np.zeros(10**8)")}),
         [*CHECK, "{tmp}/huge_out.py", "--seed", "0"], 1, ["cases passed"], report=True, seconds=30),
    case("check an answer raising an unprintable error", files(**{"unprintable.py": RIGHT_RELU.replace(
        "return np.maximum(z, 0)", "raise Odd()") + textwrap.dedent("""\


        class Odd(Exception):
            def __str__(self):
                raise RuntimeError("no words")
        """)}), [*CHECK, "{tmp}/unprintable.py", "--seed", "0"], 1, ["cases passed"], report=True),
    case("check a FIFO", fifo("pipe.py"), [*CHECK, "{tmp}/pipe.py", "--seed", "0"], 1,
         ["is not a regular file"], seconds=20),
    case("check /dev/null", nothing, [*CHECK, "/dev/null", "--seed", "0"], 1, ["is not a regular file"]),
    case("check a right answer saved with a BOM", files(**{"bom.py": "\ufeff" + RIGHT_RELU}),
         [*CHECK, "{tmp}/bom.py", "--seed", "0"], 0, ["cases passed"]),
    # -- DRILL_NOW ----------------------------------------------------------------------------
    *[
        case(f"DRILL_NOW {value!r}", env(DRILL_NOW=value), ["status"], 1, ["DRILL_NOW", "ISO 8601"])
        for value in ["next tuesday", "2026-13-01", "2026-11-25T25:00", "2026-02-30", "0001-01-01",
                      "9999-12-31T23:59", "2026-11-25T09:00+25:00", "nan", "1e999", "-1",
                      "1970-01-01T00:00:00+14:00"]
    ],
    *[
        case(f"DRILL_NOW {value!r} is out of range", env(DRILL_NOW=value), ["status"], 1,
             ["outside the years 1971 to 9000", f"is in the year {year};"])
        for value, year in [("0001-01-01", 1), ("9999-12-31T23:59", 9999), ("1970-01-01T00:00:00+14:00", 1970),
                            ("1970-12-31T23:59-14:00", 1970), ("9001-01-01T00:00+14:00", 9001)]
    ],
    *[
        case(f"DRILL_NOW {value!r} is in range", env(DRILL_NOW=value), ["status"], 0, ["12 new"])
        for value in ["1971-01-01T00:00+14:00", "1971-01-01T13:00+14:00", "1971-01-01T00:00:00+23:59",
                      "9000-12-31T23:59-14:00", "9000-12-31T12:00-12:00"]
    ],
    case("DRILL_NOW at the start of 1971 +14:00, stats", env(DRILL_NOW="1971-01-01T00:00+14:00"), ["stats"], 0,
         ["Due forecast"]),
    case("DRILL_NOW at the end of 9000 -14:00, stats", env(DRILL_NOW="9000-12-31T23:59-14:00"), ["stats"], 0,
         ["Due forecast"]),
    case("DRILL_NOW malformed for check", lambda t: (t.write("ok.py", RIGHT_RELU), {"DRILL_NOW": "soon"})[1],
         [*CHECK, "{tmp}/ok.py", "--seed", "0"], 1, ["DRILL_NOW"]),
    case("DRILL_NOW malformed for undo", env(DRILL_NOW="yesterday"), ["undo"], 1, ["DRILL_NOW"]),
    case("DRILL_NOW malformed for practice", env(DRILL_NOW="2026-11-25T09:61"), PRACTICE, 1, ["DRILL_NOW"],
         stdin=RIGHT),
    case("DRILL_NOW malformed for export", env(DRILL_NOW="later"), ["export", "anki", "-o", "{tmp}/x.apkg"], 1,
         ["DRILL_NOW"]),
    # -- DRILL_DB and --db ---------------------------------------------------------------------
    case("db in a missing folder", env(DRILL_DB="{tmp}/missing/drill.db"), ["status"], 1,
         ["does not exist", "create it first"]),
    case("db is a directory", env(DRILL_DB="{tmp}"), ["status"], 2, ["is a directory"]),
    case("db is a text file", db_file(b"my notes\n"), ["status"], 1, ["is not a drill database"]),
    case("db is random bytes", db_file(bytes(range(256)) * 4), ["items"], 1, ["is not a drill database"]),
    case("db is an empty file", db_file(b""), ["status"], 0, ["12 new"]),
    case("db of another program", other_programs_db, ["status"], 1, ["another program"]),
    case("db from a newer drill", newer_db, ["items"], 1, ["newer drill"]),
    case("db truncated", truncated_db, ["status"], 1, ["damaged", "backup"]),
    case("db read-only, change a setting", read_only_db(graded=False), ["config", "day-start", "3"], 1,
         ["read-only"]),
    case("db read-only, undo", read_only_db(graded=True), ["undo"], 1, ["read-only"]),
    case("db read-only, status still works", read_only_db(graded=False), ["status"], 0, ["12 new"]),
    case("db in a read-only folder", lambda t: (read_only_folder("ro")(t), {"DRILL_DB": f"{t.tmp}/ro/drill.db"})[1],
         ["status"], 1, ["ro/drill.db"]),
    case("db is empty text", env(DRILL_DB=""), ["status"], 2, ["DRILL_DB is set but empty"]),
    case("db option empty", nothing, ["--db", "", "status"], 1, ["is a folder"]),
    case("db is /dev/null", env(DRILL_DB="/dev/null"), ["status"], 1, ["is not a regular file"]),
    case("db is a FIFO", lambda t: (fifo("pipe.db")(t), {"DRILL_DB": f"{t.tmp}/pipe.db"})[1], ["status"], 1,
         ["is not a regular file"], seconds=20),
    case("db under a file", lambda t: (t.write("notes.txt", "x"), {"DRILL_DB": f"{t.tmp}/notes.txt/drill.db"})[1],
         ["status"], 1, ["notes.txt/drill.db"]),
    case("db name too long", env(DRILL_DB="{tmp}/" + TOO_LONG + ".db"), ["status"], 1, ["too long"]),
    *[
        case(f"db {how} {value}", setup, [*argv, "config", "day-start", "3"], 1, [message, "file path"])
        for value, message in [
            (":memory:", "in-memory database"), ("./:memory:", "in-memory database"),
            ("file:x.db?mode=memory", "SQLite URI"), ("file:x.db", "SQLite URI"), ("FILE:x.db", "SQLite URI"),
            ("file::memory:?cache=shared", "SQLite URI"), ("file:///tmp/x.db?mode=memory", "SQLite URI"),
            ("./file:x.db?mode=rwc", "SQLite URI"), ("file:%00.db", "SQLite URI"),
        ]
        for how, setup, argv in [("option", nothing, ["--db", value]), ("env", env(DRILL_DB=value), [])]
    ],
    case("db a plain path with # and ?", env(DRILL_DB="{tmp}/a#b?mode=memory.db"), ["config", "day-start", "3"],
         0, ["day-start"]),
    case("where with a db in a missing folder", env(DRILL_DB="{tmp}/missing/drill.db"), ["where"], 0,
         ["missing/drill.db"]),
    # -- settings ------------------------------------------------------------------------------
    case("unknown setting", nothing, ["config", "colour", "red"], 1, ["there is no setting 'colour'"]),
    case("show an unknown setting", nothing, ["config", "colour"], 1, ["there is no setting 'colour'"]),
    case("day-start 24", nothing, ["config", "day-start", "24"], 1, ["day-start must be an hour from 0 to 23"]),
    case("day-start x", nothing, ["config", "day-start", "x"], 1, ["day-start must be an hour from 0 to 23"]),
    case("day-start 3.5", nothing, ["config", "day-start", "3.5"], 1, ["day-start must be an hour"]),
    case("day-start -1 after --", nothing, ["config", "--", "day-start", "-1"], 1, ["day-start must be an hour"]),
    case("day-start empty", nothing, ["config", "day-start", ""], 1, ["day-start must be an hour"]),
    case("new-per-day 1001", nothing, ["config", "new-per-day", "1001"], 1, ["new-per-day must be a whole number"]),
    case("new-per-day abc", nothing, ["config", "new-per-day", "abc"], 1, ["new-per-day must be a whole number"]),
    case("config extra argument", nothing, ["config", "day-start", "3", "4"], 2, ["unexpected extra argument"]),
    # -- backups and exports: paths --------------------------------------------------------------
    case("backup into a missing folder", nothing, ["backup", "{tmp}/no/such/copy.db"], 1, ["does not exist"]),
    case("backup onto the database", nothing, ["backup", "{tmp}/drill.db"], 1, ["another file than the database"]),
    case("backup over an existing file", files(**{"old.db": "x"}), ["backup", "{tmp}/old.db"], 1,
         ["already exists"]),
    case("backup to a directory", nothing, ["backup", "{tmp}"], 2, ["is a directory"]),
    case("backup into a read-only folder", read_only_folder("ro"), ["backup", "{tmp}/ro/copy.db"], 1,
         ["could not back up"]),
    case("backup when backups is a file", lambda t: (_drill_db(t), t.write("backups", "x"), {})[2], ["backup"], 1,
         ["could not back up"]),
    case("backup name too long", nothing, ["backup", "{tmp}/" + TOO_LONG + ".db"], 1, ["too long"]),
    case("export into a missing folder", nothing, ["export", "anki", "-o", "{tmp}/no/such/x.apkg"], 1,
         ["does not exist"]),
    case("export into a read-only folder", read_only_folder("ro"), ["export", "anki", "-o", "{tmp}/ro/x.apkg"],
         1, ["cannot write"]),
    case("export as collection.apkg", nothing, ["export", "anki", "-o", "{tmp}/collection.apkg"], 1,
         ["collection.apkg"]),
    case("export not .apkg", nothing, ["export", "anki", "-o", "{tmp}/x.txt"], 1, ["does not end in .apkg"]),
    case("export to a directory", nothing, ["export", "anki", "-o", "{tmp}"], 2, ["is a directory"]),
    case("export without -o", nothing, ["export", "anki"], 2, ["Missing option"]),
    case("export name too long", nothing, ["export", "anki", "-o", "{tmp}/" + TOO_LONG + ".apkg"], 1,
         ["too long"]),
    case("html without -o", nothing, ["export", "html"], 2, ["Missing option"]),
    case("html seed -1", nothing, ["export", "html", "-o", "{tmp}/x.html", "--seed", "-1"], 2, ["--seed"]),
    case("html sheets 0", nothing, ["export", "html", "-o", "{tmp}/x.html", "--sheets", "0"], 2, ["--sheets"]),
    case("html sheets 51", nothing, ["export", "html", "-o", "{tmp}/x.html", "--sheets", "51"], 2, ["--sheets"]),
    case("html answers both", nothing, ["export", "html", "-o", "{tmp}/x.html", "--answers", "both"], 2,
         ["--answers"]),
    case("html into a missing folder", nothing, ["export", "html", "-o", "{tmp}/no/such/x.html"], 1,
         ["does not exist"]),
    case("html into a read-only folder", read_only_folder("ro"), ["export", "html", "-o", "{tmp}/ro/x.html"], 1,
         ["ro"]),
    case("html not .html", nothing, ["export", "html", "-o", "{tmp}/x.txt"], 1, ["does not end in .html"]),
    case("html unknown item", nothing, ["export", "html", "-o", "{tmp}/x.html", "--items", "backprop"], 1,
         ["there is no item 'backprop'"]),
    case("html no items", nothing, ["export", "html", "-o", "{tmp}/x.html", "--items", ","], 1,
         ["no item ids given"]),
    case("html to a directory", nothing, ["export", "html", "-o", "{tmp}"], 2, ["is a directory"]),
    case("html name too long", nothing, ["export", "html", "-o", "{tmp}/" + TOO_LONG + ".html"], 1, ["too long"]),
    # -- restore and doctor ------------------------------------------------------------------------
    case("restore without a file", nothing, ["restore"], 2, ["Missing argument"]),
    case("restore a missing file", nothing, ["restore", "{tmp}/missing.db"], 2, ["does not exist"]),
    case("restore a directory", nothing, ["restore", "{tmp}"], 2, ["is a directory"]),
    case("restore a text file", files(**{"notes.db": "my notes\n"}), ["restore", "{tmp}/notes.db"], 1,
         ["not an SQLite file"]),
    case("restore another program's file", lambda t: (other_programs_db(t), t.db.rename(t.tmp / "other.db"), {})[2],
         ["restore", "{tmp}/other.db"], 1, ["another program"]),
    case("restore a newer drill's file", lambda t: (newer_db(t), t.db.rename(t.tmp / "newer.db"), {})[2],
         ["restore", "{tmp}/newer.db"], 1, ["newer drill"]),
    case("restore a damaged file", lambda t: (truncated_db(t), t.db.rename(t.tmp / "damaged.db"), {})[2],
         ["restore", "{tmp}/damaged.db"], 1, ["damaged"]),
    case("restore the database itself", fresh_db, ["restore", "{tmp}/drill.db"], 1, ["the database itself"]),
    case("restore /dev/null", nothing, ["restore", "/dev/null"], 1, ["not a file"]),
    case("restore over a read-only database", lambda t: (_drill_db(t), shutil.copy(t.db, t.tmp / "copy.db"),
                                                         t.read_only(t.db), {})[3],
         ["restore", "{tmp}/copy.db"], 1, ["read-only"]),
    case("doctor extra argument", nothing, ["doctor", "now"], 2, ["unexpected extra argument"]),
    case("doctor on a text file", db_file(b"my notes\n"), ["doctor"], 1, ["is not a drill database"]),
    case("doctor on a damaged file", truncated_db, ["doctor"], 1, ["damaged"]),
    case("doctor finds a card that disagrees with its log", lambda t: (_drill_db(t, graded=True), _tamper(t), {})[2],
         ["doctor"], 1, ["relu", "drill doctor --repair"]),
    # -- odd terminal sizes: a sensible default or a clamp, never nothing or a column of letters --
    *[
        case(f"stats COLUMNS={value!r}", env(COLUMNS=value), ["stats"], 0,
             ["Reviews per day", "0 days (review today to start one)", "Due forecast"])
        for value in ["0", "1", "5", "-5", "abc", "100000", "\u00b2", "99999999999999999999999", ""]
    ],
    case("stats LINES='\u00b2'", env(LINES="\u00b2"), ["stats"], 0, ["Due forecast"]),
    case("stats COLUMNS=0 LINES=0", env(COLUMNS="0", LINES="0"), ["stats"], 0, ["Due forecast"]),
    *[
        case(f"show COLUMNS={value!r}", env(COLUMNS=value), ["show", "relu"], 0, ["ReLU and its backward pass"])
        for value in ["0", "1", "7", "-5", "\u00b2", "100000"]
    ],
    case("practice COLUMNS=1", env(COLUMNS="1"), PRACTICE, 0, [*RIGHT_WORDS], stdin=RIGHT),
    # -- SM-2 intervals are capped at 36,500 days, so a long history stays within the calendar --
    case("doctor on 14 perfect reviews", long_history(5, 14), ["doctor"], 1, ["relu", "interval 36500"]),
    case("doctor on 40 perfect reviews", long_history(5, 40), ["doctor"], 1, ["relu", "interval 36500"]),
    case("doctor on 30 good reviews", long_history(4, 30), ["doctor"], 1, ["relu", "interval 36500"]),
    case("doctor --repair on 20 perfect reviews", long_history(5, 20), ["doctor", "--repair"], 0,
         ["Rebuilt 1 card", "is healthy"]),
    case("doctor on a card at the cap that agrees", long_history(5, 25, card_agrees=True), ["doctor"], 0,
         ["is healthy"]),
    case("stats with a card at the cap", long_history(5, 25, card_agrees=True), ["stats"], 0, ["relu"]),
    # -- drill decks add / check: malformed deck folders -----------------------------------------
    case("deck folder missing", nothing, ["decks", "add", "{tmp}/no-deck"], 1, ["is not a folder"]),
    case("deck path is a file", files(**{"deck.toml": DECK_TOML}), ["decks", "add", "{tmp}/deck.toml"], 2,
         ["is a file"]),
    case("deck path loops", symlink_loop, ["decks", "add", "{tmp}/loop1"], 1, ["loop1"]),
    case("deck path too long", nothing, ["decks", "add", "{tmp}/" + TOO_LONG], 1, ["too long"]),
    case("deck check path too long", nothing, ["decks", "check", "{tmp}/" + TOO_LONG], 1, ["too long"]),
    case("deck without deck.toml", deck(("deck.toml", None)), ["decks", "add", "{tmp}/deck"], 1,
         ["deck.toml:1: file not found"]),
    case("deck.toml not TOML", deck(("deck.toml", 'name = "mine\n')), ["decks", "add", "{tmp}/deck"], 1,
         ["deck.toml:1: not valid TOML"]),
    case("deck.toml name not text", deck(("deck.toml", replacing('"mine"', "5"))), ["decks", "add", "{tmp}/deck"],
         1, ["field 'name' must be non-empty text"]),
    case("deck.toml without a title", deck(("deck.toml", without("title"))), ["decks", "add", "{tmp}/deck"], 1,
         ["field 'title' must be non-empty text"]),
    case("deck named like the built-in", deck(("deck.toml", replacing('"mine"', '"dl_foundations"'))),
         ["decks", "add", "{tmp}/deck"], 1, ["belongs to the built-in deck"]),
    case("deck without items", deck(("01-double", None), ("02-square", None)), ["decks", "add", "{tmp}/deck"], 1,
         ["the deck has no items"]),
    case("item folder without item.toml", deck(("01-double/item.toml", None)), ["decks", "add", "{tmp}/deck"], 1,
         ["needs an item.toml"]),
    case("item.toml not TOML", deck(("01-double/item.toml", replacing('answer = "6"', 'answer = "6'))),
         ["decks", "add", "{tmp}/deck"], 1, ["item.toml:6: not valid TOML"]),
    case("item.toml not UTF-8", deck(("01-double/item.toml", b"\xff\xfeid = 1\n")),
         ["decks", "add", "{tmp}/deck"], 1, ["item.toml:1: cannot read the file"]),
    *[
        case(f"item without {key}", deck(("01-double/item.toml", without(f"{key} ="))),
             ["decks", "add", "{tmp}/deck"], 1, [f"missing field '{key}'"])
        for key in ["id", "kind", "title", "tags", "prompt", "answer", "explanation", "insight"]
    ],
    case("numeric item without value", deck(("01-double/item.toml", without("value ="))),
         ["decks", "add", "{tmp}/deck"], 1, ["needs a 'value' field or a variants.py"]),
    case("code item without task", deck(("02-square/item.toml", without("task ="))),
         ["decks", "add", "{tmp}/deck"], 1, ["missing field 'task'"]),
    case("code item without functions", deck(("02-square/item.toml", without("functions ="))),
         ["decks", "add", "{tmp}/deck"], 1, ["missing field 'functions'"]),
    case("code item without starter.py", deck(("02-square/starter.py", None)), ["decks", "add", "{tmp}/deck"], 1,
         ["needs a starter.py"]),
    case("id not text", deck(("01-double/item.toml", replacing('id = "double"', "id = 5"))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'id' must be non-empty text"]),
    case("id with capitals", deck(("01-double/item.toml", replacing('"double"', '"Double It"'))),
         ["decks", "add", "{tmp}/deck"], 1, ["may use only lowercase"]),
    case("kind not text", deck(("01-double/item.toml", replacing('kind = "numeric"', "kind = 3"))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'kind' must be non-empty text"]),
    case("title a list", deck(("01-double/item.toml", replacing('"Double it"', "[]"))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'title' must be non-empty text"]),
    case("tags not a list", deck(("01-double/item.toml", replacing('["math::basics"]', '"math"'))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'tags' must be a list"]),
    case("tags of numbers", deck(("01-double/item.toml", replacing('["math::basics"]', "[1, 2]"))),
         ["decks", "add", "{tmp}/deck"], 1, ["tag 1 must be text"]),
    case("value text", deck(("01-double/item.toml", replacing("value = 6", 'value = "six"'))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'value' must be a number"]),
    case("value true", deck(("01-double/item.toml", replacing("value = 6", "value = true"))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'value' must be a number"]),
    case("value inf", deck(("01-double/item.toml", replacing("value = 6", "value = inf"))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'value' must be a number"]),
    case("value a date", deck(("01-double/item.toml", replacing("value = 6", "value = 1979-05-27"))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'value' must be a number"]),
    case("tolerance a number", deck(("01-double/item.toml", replacing("value = 6", "value = 6\ntolerance = 5"))),
         ["decks", "add", "{tmp}/deck"], 1, ["tolerance must look like"]),
    case("tolerance text", deck(("01-double/item.toml", replacing("value = 6", 'value = 6\ntolerance = { rtol = "x" }'))),
         ["decks", "add", "{tmp}/deck"], 1, ["tolerance rtol must be a number"]),
    case("functions text", deck(("02-square/item.toml", replacing('["square"]', '"square"'))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'functions' must be a list"]),
    case("task a number", deck(("02-square/item.toml", replacing('task = "write"', "task = 1"))),
         ["decks", "add", "{tmp}/deck"], 1, ["field 'task' must be non-empty text"]),
    case("unknown field", deck(("01-double/item.toml", replacing("value = 6", "value = 6\ncolour = 'red'"))),
         ["decks", "add", "{tmp}/deck"], 1, ["unknown field 'colour'"]),
    case("unknown kind", deck(("01-double/item.toml", replacing('"numeric"', '"essay"'))),
         ["decks", "add", "{tmp}/deck"], 1, ["unknown kind 'essay'"]),
    case("duplicate ids", deck(("02-square/item.toml", replacing('id = "square"', 'id = "double"'))),
         ["decks", "add", "{tmp}/deck"], 1, ["duplicate id 'double'"]),
    case("id of a built-in item", deck(("01-double/item.toml", replacing('"double"', '"relu"'))),
         ["decks", "add", "{tmp}/deck"], 1, ["the id 'relu' is already used"]),
    case("generator raises", generator("""\
        def generate(seed):
            return {'prompt': 'p', 'answer': 1 / (seed - seed), 'solution': 's', 'params': {}}
        """), ["decks", "add", "{tmp}/deck"], 1, ["variants.py", "ZeroDivisionError"]),
    case("generator fails to import", generator("import no_such_module_here\n\ndef generate(seed):\n    return {}\n"),
         ["decks", "add", "{tmp}/deck"], 1, ["variants.py", "ModuleNotFoundError"]),
    case("generator syntax error", generator("def generate(seed)\n    pass\n"), ["decks", "add", "{tmp}/deck"], 1,
         ["variants.py:1: Python syntax error"]),
    case("generator without generate", generator("def make(seed):\n    pass\n"), ["decks", "add", "{tmp}/deck"],
         1, ["does not define generate()"]),
    case("generator takes no seed", generator("def generate():\n    return {}\n"), ["decks", "add", "{tmp}/deck"],
         1, ["variants.py", "TypeError"]),
    case("generator returns a list", generator("def generate(seed):\n    return [1]\n"),
         ["decks", "add", "{tmp}/deck"], 1, ["returned list, not a dict"]),
    case("generator forgets the solution", generator("""\
        def generate(seed):
            return {'prompt': 'p', 'answer': 1, 'params': {}}
        """), ["decks", "add", "{tmp}/deck"], 1, ["returned no 'solution'"]),
    case("generator answer NaN", generator("""\
        def generate(seed):
            return {'prompt': 'p', 'answer': float('nan'), 'solution': 's', 'params': {}}
        """), ["decks", "add", "{tmp}/deck"], 1, ["'answer' must be a finite number"]),
    case("generator answer text", generator("""\
        def generate(seed):
            return {'prompt': 'p', 'answer': 'two', 'solution': 's', 'params': {}}
        """), ["decks", "add", "{tmp}/deck"], 1, ["'answer' must be a finite number"]),
    case("generator answer too big for a float", generator("""\
        def generate(seed):
            return {'prompt': 'p', 'answer': 10 ** 400, 'solution': 's', 'params': {}}
        """), ["decks", "add", "{tmp}/deck"], 1, ["variants.py", "answer"]),
    case("generator params not JSON", generator("""\
        def generate(seed):
            return {'prompt': 'p', 'answer': 1, 'solution': 's', 'params': {'f': object()}}
        """), ["decks", "add", "{tmp}/deck"], 1, ["'params' must be plain JSON data"]),
    case("generator recurses forever", generator("def generate(seed):\n    return generate(seed)\n"),
         ["decks", "add", "{tmp}/deck"], 1, ["variants.py", "RecursionError"]),
    case("generator calls sys.exit(0)", generator("import sys\n\ndef generate(seed):\n    sys.exit(0)\n"),
         ["decks", "add", "{tmp}/deck"], 1, ["variants.py"]),
    case("generator exits on import", generator("raise SystemExit(4)\n\ndef generate(seed):\n    return {}\n"),
         ["decks", "add", "{tmp}/deck"], 1, ["variants.py"]),
    case("generator loops forever", generator("def generate(seed):\n    while True:\n        pass\n"),
         ["decks", "add", "{tmp}/deck"], 1, ["variants.py"], seconds=15),
    case("decks check: generator calls sys.exit(0)",
         generator("import sys\n\ndef generate(seed):\n    sys.exit(0)\n"),
         ["decks", "check", "{tmp}/deck"], 1, ["variants.py"]),
    case("reference fails its examples", deck(("02-square/reference.py", REFERENCE.replace("x * x", "x + x"))),
         ["decks", "add", "{tmp}/deck"], 1, ["gave 6, expected 9"]),
    case("reference raises", deck(("02-square/reference.py", REFERENCE.replace("x * x", "x.shape"))),
         ["decks", "add", "{tmp}/deck"], 1, ["reference.py:2", "AttributeError"]),
    case("reference EXAMPLES not a list", deck(("02-square/reference.py", REFERENCE.replace(
        "[('square', (3,), 9)]", "5"))), ["decks", "add", "{tmp}/deck"], 1, ["reference.py", "EXAMPLES"]),
    case("reference syntax error", deck(("02-square/reference.py", "def square(x):\n    return x *\n")),
         ["decks", "add", "{tmp}/deck"], 1, ["reference.py:2: Python syntax error"]),
    case("reference binary", deck(("02-square/reference.py", b"\x7fELF\x00\xff\xfe")),
         ["decks", "add", "{tmp}/deck"], 1, ["reference.py"]),
    case("starter binary", deck(("02-square/starter.py", b"\x00\xff\xfe")), ["decks", "add", "{tmp}/deck"], 1,
         ["starter.py"]),
    case("decks check lists problems", deck(("01-double/item.toml", replacing('"numeric"', '"essay"')),
                                            ("02-square/starter.py", None)),
         ["decks", "check", "{tmp}/deck"], 1, ["2 problems found"]),
    # -- an added deck edited afterwards: its code runs again, and may be broken ------------------
    case("added deck checks a right answer", added_deck(), ["check", "square", "{tmp}/square.py", "--seed", "0"],
         0, ["2 of 2 cases passed"]),
    case("cases.py raises", added_deck(("02-square/cases.py", "def cases(seed):\n    raise ValueError('boom')\n")),
         ["check", "square", "{tmp}/square.py", "--seed", "0"], 1, ["cases.py", "ValueError"]),
    case("cases.py loops forever", added_deck(("02-square/cases.py", "def cases(seed):\n    while True:\n        pass\n")),
         ["check", "square", "{tmp}/square.py", "--seed", "0"], 1, ["cases.py"], seconds=20),
    case("cases.py calls sys.exit(0)", added_deck(("02-square/cases.py",
                                                  "import sys\n\ndef cases(seed):\n    sys.exit(0)\n")),
         ["check", "square", "{tmp}/square.py", "--seed", "0"], 1, ["cases.py"]),
    case("cases.py returns no cases", added_deck(("02-square/cases.py", "def cases(seed):\n    return []\n")),
         ["check", "square", "{tmp}/square.py", "--seed", "0"], 1, ["cases.py"]),
    case("cases.py returns odd arguments", added_deck(("02-square/cases.py", textwrap.dedent("""\
        def cases(seed):
            return [{"name": "x", "call": "square", "args": [object()]}]
        """))), ["check", "square", "{tmp}/square.py", "--seed", "0"], 1, ["cases.py"]),
    case("cases.py calls a missing function", added_deck(("02-square/cases.py", textwrap.dedent("""\
        def cases(seed):
            return [{"name": "x", "call": "cube", "args": [1.0]}]
        """))), ["check", "square", "{tmp}/square.py", "--seed", "0"], 1, ["cube"]),
    case("cases.py removed", added_deck(("02-square/cases.py", None)),
         ["check", "square", "{tmp}/square.py", "--seed", "0"], 1, ["has no cases.py"]),
    case("generator now loops forever", added_deck(("01-double/variants.py",
                                                   "def generate(seed):\n    while True:\n        pass\n")),
         ["show", "double", "--seed", "3"], 1, ["variants.py"], seconds=20),
    case("generator now calls sys.exit(0)", added_deck(("01-double/variants.py",
                                                       "import sys\n\ndef generate(seed):\n    sys.exit(0)\n")),
         ["show", "double", "--seed", "3"], 1, ["variants.py"]),
    case("deck now unreadable: the rest still works", added_deck(("01-double/item.toml", b"\xff\xfe")),
         ["status"], 0, ["Warning: the deck 'mine' has a problem", "12 new"]),
    case("deck now unreadable: its item is gone", added_deck(("01-double/item.toml", b"\xff\xfe")),
         ["show", "double"], 1, ["there is no item 'double'"]),
    # -- typed answers: a hint and another try, then the right answer ----------------------------
    case("answer empty", nothing, PRACTICE, 0, ["the answer is empty", "Try again", *RIGHT_WORDS],
         stdin="\n" + RIGHT),
    case("answer blank", nothing, PRACTICE, 0, ["the answer is empty", *RIGHT_WORDS], stdin="   \t \n" + RIGHT),
    case("answer huge", nothing, PRACTICE, 0, ["too long", *RIGHT_WORDS], stdin="9" * 10_000 + "\n" + RIGHT),
    case("answer huge brackets", nothing, PRACTICE, 0, ["too long", *RIGHT_WORDS], stdin="[" * 10_000 + "\n" + RIGHT),
    case("answer a megabyte", nothing, PRACTICE, 0, ["too long", *RIGHT_WORDS], stdin="1" * 2**20 + "\n" + RIGHT),
    case("answer unicode junk", nothing, PRACTICE, 0, ["is not a number", *RIGHT_WORDS],
         stdin="ñ☃💥\u202e\u200b\n" + RIGHT),
    case("answer control characters", nothing, PRACTICE, 0, ["invisible character", *RIGHT_WORDS],
         stdin="\x00\x01\x1b[31m\x7f\n" + RIGHT),
    case("answer invalid UTF-8", nothing, PRACTICE, 0, [*RIGHT_WORDS], stdin=b"\xff\xfe\x80abc\n2\n"),
    case("answer 1e999", nothing, PRACTICE, 0, ["not a finite number", *RIGHT_WORDS], stdin="1e999\n" + RIGHT),
    case("answer nan", nothing, PRACTICE, 0, ["not a finite number", *RIGHT_WORDS], stdin="nan\n" + RIGHT),
    case("answer inf", nothing, PRACTICE, 0, ["not a finite number", *RIGHT_WORDS], stdin="inf\n" + RIGHT),
    case("answer -inf", nothing, PRACTICE, 0, ["not a finite number", *RIGHT_WORDS], stdin="-inf\n" + RIGHT),
    case("answer python code", nothing, PRACTICE, 0, ["is not a number", *RIGHT_WORDS],
         stdin="__import__('os').system('true')\n" + RIGHT),
    case("answer unclosed bracket", nothing, PRACTICE, 0, ["never closed", *RIGHT_WORDS], stdin="[1,\n" + RIGHT),
    case("answer power tower", nothing, PRACTICE, 0, ["too large", *RIGHT_WORDS], stdin="9**9**9**9\n" + RIGHT),
    case("answer deep nesting", nothing, PRACTICE, 0, ["nested", *RIGHT_WORDS], stdin="(" * 500 + "1\n" + RIGHT),
    case("answer division by zero", nothing, PRACTICE, 0, ["division by zero", *RIGHT_WORDS], stdin="1/0\n" + RIGHT),
    case("three unreadable answers", nothing, PRACTICE, 0, ["is not a number", "Worked solution"],
         stdin="x\ny\nz\n"),
    case("weight-decay answer junk", nothing, ["practice", "weight-decay", "--seed", "0"], 0,
         ["is not a number", "✓ Right"], stdin="lambda\n0.9999\n"),
    case("practice with stdin closed", nothing, PRACTICE, 1, [], stdin=""),
]


@pytest.fixture
def ctx(tmp_path):
    context = Ctx(tmp_path)
    yield context
    for cleanup in context.cleanups:
        cleanup()


@pytest.mark.parametrize("setup, argv, code, words, stdin, report, seconds", CASES)
def test_bad_input(ctx, setup, argv, code, words, stdin, report, seconds):
    extra = setup(ctx)
    args = [arg.format(tmp=ctx.tmp) for arg in argv]
    full_env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", **extra}  # a case may set COLUMNS
    if stdin is None:
        stdin = b""
    elif isinstance(stdin, str):
        stdin = stdin.encode("utf-8")
    limit = seconds or 60
    started = time.monotonic()
    try:
        result = subprocess.run([sys.executable, "-m", "drill", *args], input=stdin, capture_output=True,
                                env=full_env, timeout=limit, cwd=ctx.tmp)
    except subprocess.TimeoutExpired:
        pytest.fail(f"drill {' '.join(argv)} did not finish within {limit} s")
    elapsed = time.monotonic() - started
    out = result.stdout.decode("utf-8", errors="replace")
    err = result.stderr.decode("utf-8", errors="replace")
    shown = f"exit {result.returncode}\n--- stdout\n{out[-3000:]}\n--- stderr\n{err[-3000:]}"

    assert "Traceback" not in out + err, shown
    assert result.returncode == code, shown
    if code == 1 and not report:  # one line `Error: ...`, after any warnings about added decks
        lines = err.splitlines()
        assert err.endswith("\n") and lines and lines[-1].startswith("Error: "), shown
        assert all(line.startswith("Warning: ") for line in lines[:-1]), shown
    if code == 1 and report:
        assert err == "", shown
    if code == 2:
        assert err.strip().splitlines()[-1].startswith("Error: "), shown
    for word in words:
        assert word.lower() in (out + err).lower(), f"{word!r} not in the output\n{shown}"
    if seconds:
        assert elapsed < seconds, shown
