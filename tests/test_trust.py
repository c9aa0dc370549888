"""The list of trusted deck folders (drill/trust.py) and the one gate all deck code passes
(loader.load_module)."""

import hashlib
import importlib.util
import json
import os
import py_compile
import shutil

import pytest

from drill import loader, trust
from drill.collection import add_deck, open_collection, remove_deck, review_new_deck
from drill.errors import DeckError

# -- the fingerprint ---------------------------------------------------------------------------


def test_scan_lists_every_python_file_sorted_with_size_and_hash(traced):
    code = trust.scan(traced.folder)
    assert [f.path for f in code.files] == [
        "01-double/variants.py", "02-square/cases.py", "02-square/reference.py",
        "02-square/starter.py", "02-square/wrong/doubles.py"]
    for f in code.files:
        data = (traced.folder / f.path).read_bytes()
        assert (f.size, f.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert traced.ran() == []


def test_the_fingerprint_is_the_documented_manifest(traced):
    code = trust.scan(traced.folder)
    manifest = "".join(f"{f.sha256}  {f.path}\n" for f in code.files)
    assert code.sha256 == hashlib.sha256(manifest.encode()).hexdigest()


def _append(name, text):
    return lambda d: (d / name).write_text((d / name).read_text() + text)


# (what changes in the folder, whether the fingerprint changes)
CHANGES = [
    ("a generator edited", _append("01-double/variants.py", "\n"), True),
    ("a code file renamed", lambda d: (d / "02-square/wrong/doubles.py").rename(d / "02-square/wrong/twice.py"), True),
    ("a code file removed", lambda d: (d / "02-square/cases.py").unlink(), True),
    ("a code file added deep down", lambda d: ((d / "02-square/wrong/more").mkdir(),
                                               (d / "02-square/wrong/more/x.py").write_text("")), True),
    ("code in a hidden folder", lambda d: ((d / ".hidden").mkdir(), (d / ".hidden/h.py").write_text("")), True),
    ("a linked folder of code", lambda d: (d / "linked").symlink_to(d / "02-square"), True),
    ("item text edited", _append("01-double/item.toml", "\n# a note\n"), False),
    ("deck.toml edited", _append("deck.toml", "\n"), False),
    ("a data file added", lambda d: (d / "notes.txt").write_text("hello"), False),
    ("a .pyc beside the code", lambda d: py_compile.compile(str(d / "02-square/reference.py")), False),
    ("a link back up the tree", lambda d: (d / "02-square/loop").symlink_to(d), False),
]


@pytest.mark.parametrize(("change", "changes_it"), [c[1:] for c in CHANGES], ids=[c[0] for c in CHANGES])
def test_what_changes_the_fingerprint(traced, change, changes_it):
    before = trust.scan(traced.folder).sha256
    change(traced.folder)
    assert (trust.scan(traced.folder).sha256 != before) is changes_it


def test_a_fifo_named_like_code_is_refused_not_read(traced):
    os.mkfifo(traced.folder / "01-double/pipe.py")
    with pytest.raises(DeckError, match="not a regular file"):
        trust.scan(traced.folder)


# -- the list ----------------------------------------------------------------------------------


def test_the_list_lives_in_the_config_folder(tmp_path, trust_list):
    assert trust.list_path() == trust_list == tmp_path / "config" / "trusted-decks.json"


def test_without_the_variable_the_list_is_in_the_platforms_config_folder(monkeypatch):
    from platformdirs import user_config_path

    monkeypatch.delenv("DRILL_CONFIG_DIR")
    assert trust.list_path() == user_config_path("drill", appauthor=False) / "trusted-decks.json"


def test_remember_entry_forget(traced, trust_list):
    code = trust.scan(traced.folder)
    assert trust.entry(traced.folder) is None and not trust_list.exists()
    trust.remember(code)
    saved = json.loads(trust_list.read_text())
    assert saved["version"] == 1
    assert saved["decks"] == [{"folder": str(traced.folder.resolve()), "sha256": code.sha256,
                               "trusted_at": "2026-11-25T09:00:00+00:00", "files": code.hashes()}]
    assert trust.entry(traced.folder).sha256 == code.sha256
    assert trust.forget(traced.folder) is True
    assert trust.entry(traced.folder) is None and trust.forget(traced.folder) is False
    assert [p.name for p in trust_list.parent.iterdir()] == ["trusted-decks.json"]  # no part files


def test_a_failed_write_keeps_the_list_as_it_was(traced, tmp_path, trust_list, monkeypatch):
    trust.remember(trust.scan(traced.folder))
    before = trust_list.read_bytes()
    other = shutil.copytree(traced.folder, tmp_path / "other")

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(trust.TrustError, match=r"cannot save the list of decks you trust .*no space left"):
        trust.remember(trust.scan(other))
    assert trust_list.read_bytes() == before
    assert [p.name for p in trust_list.parent.iterdir()] == ["trusted-decks.json"]


# (what the damaged list holds, words in the error)
DAMAGED = [
    ("not JSON", b"{oops", "not valid JSON: Expecting property name enclosed in double quotes at line 1"),
    ("empty", b"", "not valid JSON: Expecting value at line 1"),
    ("not UTF-8", b"\xff\xfe{}", "not UTF-8 text"),
    ("a list", b"[]", "no version"),
    ("no decks", b'{"version": 1}', "'decks' is not a list"),
    ("a relative folder", b'{"version": 1, "decks": [{"folder": "deck", "sha256": "' + b"0" * 64
     + b'", "files": {}}]}', "entry 1 is malformed"),
    ("a fingerprint that does not match its files", b'{"version": 1, "decks": [{"folder": "/deck", '
     b'"sha256": "' + b"0" * 64 + b'", "files": {}}]}', "entry 1 is malformed"),
]


@pytest.mark.parametrize(("data", "words"), [d[1:] for d in DAMAGED], ids=[d[0] for d in DAMAGED])
def test_a_damaged_list_is_set_aside_and_reported(trust_list, data, words):
    trust_list.parent.mkdir()
    trust_list.write_bytes(data)
    with pytest.raises(trust.TrustError) as caught:
        trust.entries()
    message = str(caught.value)
    assert "\n" not in message and words in message
    assert message.startswith(f"the list of decks you trust, {trust_list}, was damaged")
    assert "`drill decks add PATH`" in message
    (kept,) = trust_list.parent.glob("trusted-decks.json.damaged-*")
    assert kept.read_bytes() == data and kept.name in message
    assert trust.entries() == {}  # drill goes on with nothing trusted


def test_a_second_damaged_list_gets_its_own_name(trust_list):
    trust_list.parent.mkdir()
    for text in ("{1", "{2"):
        trust_list.write_text(text)
        with pytest.raises(trust.TrustError):
            trust.entries()
    kept = sorted(p.read_text() for p in trust_list.parent.glob("trusted-decks.json.damaged-*"))
    assert kept == ["{1", "{2"]


def test_a_list_from_a_newer_drill_is_left_alone(trust_list):
    trust_list.parent.mkdir()
    trust_list.write_text('{"version": 2, "decks": "a new shape"}')
    with pytest.raises(trust.TrustError, match="newer drill"):
        trust.entries()
    assert trust_list.read_text() == '{"version": 2, "decks": "a new shape"}'


def test_an_empty_config_variable_is_an_error(monkeypatch):
    monkeypatch.setenv("DRILL_CONFIG_DIR", "")
    with pytest.raises(trust.TrustError, match="DRILL_CONFIG_DIR is set but empty"):
        trust.list_path()


# -- load_module: the one gate -----------------------------------------------------------------


def _module(path):
    return loader.load_module(path, "test." + path.stem)


def test_code_runs_only_once_allowed(traced):
    path = traced.folder / "02-square/reference.py"
    with pytest.raises(DeckError, match="not part of a deck whose code you trusted"):
        _module(path)
    assert traced.ran() == []
    loader.allow_code(traced.folder, "traced", trust.scan(traced.folder).hashes())
    try:
        assert _module(path).square(4) == 16
        assert traced.ran() == ["02-square/reference.py"]
        path.write_text(path.read_text() + "\n# edited\n")
        with pytest.raises(DeckError, match=r"changed since you trusted the deck 'traced'.*drill decks trust traced"):
            _module(path)
        assert traced.ran() == []
    finally:
        loader.disallow_code(traced.folder)


def test_a_cached_pyc_never_runs_in_place_of_the_agreed_source(traced):
    """A .pyc whose header matches the source (same size, same mtime) is what Python's own
    import would run; drill compiles the bytes it checked instead."""
    path = traced.folder / "01-double/extra.py"
    path.write_text("X = 'evil'\n")
    py_compile.compile(str(path))  # __pycache__/extra.cpython-3xx.pyc, for 'evil'
    stamp = path.stat().st_mtime_ns
    path.write_text("X = 'good'\n")  # the same size
    os.utime(path, ns=(stamp, stamp))
    spec = importlib.util.spec_from_file_location("plain_import", path)
    plain = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(plain)
    assert plain.X == "evil"  # the trap is armed
    loader.allow_code(traced.folder, "traced", trust.scan(traced.folder).hashes())
    try:
        assert _module(path).X == "good"
    finally:
        loader.disallow_code(traced.folder)


def test_the_builtin_deck_needs_no_consent():
    item = next(i for i in loader.load_builtin().items if i.id == "relu")
    assert _module(item.folder / "reference.py").relu


def test_syntax_problems_run_nothing(traced):
    bad = traced.folder / "02-square/wrong/broken.py"
    bad.write_text("open('ran.log', 'a').write('x')\ndef square(x) return x\n")
    problems = loader.syntax_problems([bad, traced.folder / "02-square/reference.py"])
    assert [(p.path, p.line) for p in problems] == [(bad, 2)]
    assert traced.ran() == []


# -- the collection: trust is this user's, never the database's ---------------------------------


def _add(db_path, folder):
    with open_collection(db_path) as collection:
        return add_deck(collection, review_new_deck(collection, folder))


def test_an_untrusted_deck_in_the_database_is_left_out(traced, db_path, tmp_path, monkeypatch):
    _add(db_path, traced.folder)
    assert traced.ran()
    monkeypatch.setenv("DRILL_CONFIG_DIR", str(tmp_path / "someone-else"))
    with open_collection(db_path) as collection:
        assert "traced" not in collection.decks
        assert list(collection.untrusted) == ["traced"]
        assert collection.problems == [collection.untrusted["traced"]]
        assert "not trusted by you (it came with this database)" in collection.problems[0]
    assert traced.ran() == []


def test_remove_drops_the_trust_entry(traced, db_path):
    _add(db_path, traced.folder)
    with open_collection(db_path) as collection:
        assert remove_deck(collection, "traced") == (2, True)
    assert trust.entries() == {}
