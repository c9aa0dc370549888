"""The deck folders whose code this learner agreed to run: a list kept outside any database.

A deck folder can hold Python (variant generators, references, cases, wrong versions), and
drill runs it only when the learner agreed to that very code: `drill decks add` and
`drill decks trust` list the files and ask first. The answers are kept in
`trusted-decks.json` in the user's config folder (DRILL_CONFIG_DIR overrides it), one entry
per folder: its resolved absolute path and a fingerprint of its code. The list belongs to
the user, never to a database, so a database from someone else (`--db`, `drill restore`)
cannot bring trust with it.

The fingerprint covers code only: every `*.py` file under the folder, at any depth (hidden
folders too, links followed), as lines `<SHA-256 of the file's bytes>  <relative POSIX
path>` sorted by path, hashed with SHA-256. Adding, removing, renaming or editing a Python
file changes it; TOML (the cards' text) never runs, so editing it needs no new consent.

The list is rewritten whole under a temporary name and renamed into place, so it is never
half-written. Two drills saving at the same moment may lose one entry: the deck then asks
again, which fails safe. A damaged list is set aside (never deleted) and reported.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from drill import clock, parts
from drill.errors import DeckError, DrillError

ENV_CONFIG = "DRILL_CONFIG_DIR"
LIST_NAME = "trusted-decks.json"
VERSION = 1
_SHA256 = re.compile(r"[0-9a-f]{64}")


class TrustError(DrillError):
    """The list of trusted decks cannot be read or written."""


# -- a deck's code -------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeFile:
    path: str  # relative to the deck folder, POSIX style
    size: int
    sha256: str


@dataclass(frozen=True)
class Code:
    """A deck folder's Python files as they are now."""

    folder: Path
    files: tuple[CodeFile, ...]

    @property
    def sha256(self) -> str:
        """The fingerprint of the code (see the module docstring)."""
        return fingerprint(self.hashes())

    def hashes(self) -> dict[str, str]:
        """Relative path -> SHA-256 of each Python file."""
        return {f.path: f.sha256 for f in self.files}


def fingerprint(hashes: dict[str, str]) -> str:
    """SHA-256 over the lines `<file hash>  <path>`, sorted by path."""
    manifest = "".join(f"{hashes[path]}  {path}\n" for path in sorted(hashes))
    return hashlib.sha256(manifest.encode("utf-8", "surrogateescape")).hexdigest()


MAX_FILES = 10_000  # a folder with more Python than this is not a deck (a virtualenv, a checkout)


def scan(folder: Path) -> Code:
    """Every Python file under a deck folder, hashed; nothing is run.

    Links are followed, since drill would follow them to run the code; a link back up its
    own path is skipped (it would go round forever)."""
    folder = Path(folder).resolve()
    found: list[CodeFile] = []

    def fail(exc: OSError, path: Path) -> NoReturn:
        raise DeckError(f"{path}: cannot read it to check the deck's code "
                        f"({(exc.strerror or str(exc)).lower()}); fix its permissions") from None

    try:
        top = os.stat(folder)
    except OSError as exc:
        fail(exc, folder)
    stack = [(folder, "", frozenset({(top.st_dev, top.st_ino)}))]
    while stack:
        where, prefix, ancestors = stack.pop()
        try:
            entries = sorted(os.scandir(where), key=lambda e: e.name)
        except OSError as exc:
            fail(exc, where)
        for entry in entries:
            path = Path(entry.path)
            try:
                info = entry.stat()  # follows links
            except FileNotFoundError:
                continue  # a dangling link: there is nothing to run
            except OSError as exc:
                fail(exc, path)
            if stat.S_ISDIR(info.st_mode):
                if (info.st_dev, info.st_ino) not in ancestors:
                    stack.append((path, f"{prefix}{entry.name}/",
                                  ancestors | {(info.st_dev, info.st_ino)}))
                continue
            if not entry.name.lower().endswith(".py"):
                continue
            if not stat.S_ISREG(info.st_mode):
                raise DeckError(f"{path}: not a regular file; a deck's Python files must be plain files")
            try:
                data = path.read_bytes()
            except OSError as exc:
                fail(exc, path)
            found.append(CodeFile(prefix + entry.name, len(data), hashlib.sha256(data).hexdigest()))
            if len(found) > MAX_FILES:
                raise DeckError(f"{folder} holds more than {MAX_FILES:,} Python files; a deck "
                                f"folder holds a deck only (no virtualenv or source tree inside)")
    return Code(folder, tuple(sorted(found, key=lambda f: f.path)))


# -- the list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    folder: str
    sha256: str
    files: dict[str, str] = field(default_factory=dict)
    trusted_at: str = ""


def config_dir() -> Path:
    """drill's folder for this user's settings: DRILL_CONFIG_DIR, else the platform's."""
    raw = os.environ.get(ENV_CONFIG)
    if raw is not None:
        if not raw.strip():
            raise TrustError(f"{ENV_CONFIG} is set but empty; unset it or give it a folder")
        return Path(raw).expanduser().absolute()
    from platformdirs import user_config_path

    return user_config_path("drill", appauthor=False)


def list_path() -> Path:
    """Where the list of trusted deck folders lives."""
    return config_dir() / LIST_NAME


def entries() -> dict[str, Entry]:
    """The trusted folders, by resolved absolute path (empty when there is no list yet)."""
    path = list_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise TrustError(f"cannot read the list of decks you trust, {path} "
                         f"({(exc.strerror or str(exc)).lower()}); fix its permissions") from None
    try:
        return _parse(json.loads(raw.decode("utf-8")))
    except _Newer:
        raise TrustError(f"the list of decks you trust, {path}, was written by a newer drill; "
                         f"upgrade drill") from None
    except (ValueError, UnicodeDecodeError) as exc:
        why = (f"not valid JSON: {exc.msg} at line {exc.lineno}" if isinstance(exc, json.JSONDecodeError)
               else "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else str(exc))
        aside = _set_aside(path)
        if aside is None:
            raise TrustError(f"the list of decks you trust, {path}, is damaged ({why}) and cannot "
                             f"be moved aside; move it away yourself, then trust your decks again "
                             f"with `drill decks add PATH`") from None
        raise TrustError(f"the list of decks you trust, {path}, was damaged ({why}); it is kept "
                         f"as {aside.name} beside it and no deck code was run; trust your decks "
                         f"again with `drill decks add PATH` (or repair the file and put it "
                         f"back)") from None


def entry(folder: Path) -> Entry | None:
    """The trust entry of a deck folder, if this user trusted it."""
    return entries().get(str(Path(folder).resolve()))


def remember(code: Code) -> None:
    """Trust a folder's code as it is in `code` (replacing what was trusted before)."""
    known = entries()
    known[str(code.folder)] = Entry(str(code.folder), code.sha256, code.hashes(),
                                    clock.stamp(clock.now()))
    _write(known)


def forget(folder: Path) -> bool:
    """Stop trusting a folder; False when it was not trusted."""
    known = entries()
    if known.pop(str(Path(folder).resolve()), None) is None:
        return False
    _write(known)
    return True


class _Newer(Exception):
    pass


def _parse(data: object) -> dict[str, Entry]:
    if not isinstance(data, dict) or type(data.get("version")) is not int:
        raise ValueError("it is not a list of trusted decks: no version")
    if data["version"] > VERSION:
        raise _Newer()
    decks = data.get("decks")
    if not isinstance(decks, list):
        raise ValueError("'decks' is not a list")
    found = {}
    for number, raw in enumerate(decks, start=1):
        ok = (
            isinstance(raw, dict)
            and isinstance(raw.get("folder"), str) and os.path.isabs(raw["folder"])
            and isinstance(raw.get("sha256"), str) and _SHA256.fullmatch(raw["sha256"])
            and isinstance(raw.get("files"), dict)
            and all(isinstance(k, str) and isinstance(v, str) and _SHA256.fullmatch(v)
                    for k, v in raw["files"].items())
            and fingerprint(raw["files"]) == raw["sha256"]
            and isinstance(raw.get("trusted_at", ""), str)
        )
        if not ok:
            raise ValueError(f"entry {number} is malformed")
        found[raw["folder"]] = Entry(raw["folder"], raw["sha256"], dict(raw["files"]),
                                     raw.get("trusted_at", ""))
    return found


def _write(known: dict[str, Entry]) -> None:
    """Replace the list in one rename, so it is always whole."""
    path = list_path()
    data = {
        "about": "Deck folders whose Python code you agreed to let drill run "
                 "(drill decks add / drill decks trust). Remove an entry to stop trusting it.",
        "version": VERSION,
        "decks": [
            {"folder": e.folder, "sha256": e.sha256, "trusted_at": e.trusted_at, "files": e.files}
            for e in sorted(known.values(), key=lambda e: e.folder)
        ],
    }
    text = json.dumps(data, indent=2) + "\n"  # ASCII: any file name survives
    part = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        parts.sweep(path.parent)
        part = parts.path_for(path.parent, ".json")
        with open(part, "x", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(part, path)
        part = None
        _sync_folder(path.parent)
    except OSError as exc:
        raise TrustError(f"cannot save the list of decks you trust in {path.parent} "
                         f"({(exc.strerror or str(exc)).lower()}); nothing was trusted; "
                         f"check that folder (or set {ENV_CONFIG})") from None
    finally:
        if part is not None:
            part.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    if os.name == "nt":
        return  # folders cannot be opened for fsync there; the rename is durable enough
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _set_aside(path: Path) -> Path | None:
    """Move a damaged list out of the way under a new name; None when it cannot be moved."""
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    for number in range(1, 1000):
        aside = path.with_name(f"{path.name}.damaged-{stamp}" + (f"-{number}" if number > 1 else ""))
        if aside.exists():
            continue
        try:
            os.replace(path, aside)
        except FileNotFoundError:
            return aside if aside.exists() else None  # another drill set it aside just now
        except OSError:
            return None
        return aside
    return None


# -- what agreeing means -------------------------------------------------------------------


@dataclass(frozen=True)
class Changes:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]


def changes(before: Entry, code: Code) -> Changes:
    """Python files added, removed and changed since `before` was trusted."""
    now = code.hashes()
    return Changes(
        added=tuple(p for p in sorted(now) if p not in before.files),
        removed=tuple(p for p in sorted(before.files) if p not in now),
        changed=tuple(p for p in sorted(now) if p in before.files and before.files[p] != now[p]),
    )


def describe(name: str, code: Code, before: Entry | None) -> list[str]:
    """What agreeing would run: the deck's Python files (or what changed) and the fingerprint."""
    sizes = {f.path: f.size for f in code.files}
    width = max((len(p) for p in [*sizes, *(before.files if before else ())]), default=0)

    def size(path: str) -> str:
        return f"{sizes[path]:>8,} bytes"

    count = f"{len(code.files)} Python file{'s' * (len(code.files) != 1)}"
    if before is None or before.sha256 == code.sha256:
        lines = [f"Deck {name!r} in {code.folder} holds {count} (variant generators, "
                 f"references, checks); drill runs deck code on this computer, as you:"]
        lines += [f"  {path:<{width}}  {size(path)}" for path in sizes]
    else:
        when = f" (on {before.trusted_at[:10]})" if before.trusted_at else ""
        lines = [f"The code of deck {name!r} in {code.folder} changed since you trusted it{when}:"]
        diff = changes(before, code)
        for word, paths in (("changed", diff.changed), ("added", diff.added), ("removed", diff.removed)):
            lines += [(f"  {word:<8} {path:<{width}}" + (f"  {size(path)}" if path in sizes else "")).rstrip()
                      for path in paths]
    lines.append(f"SHA-256 of its code: {code.sha256} ({count})")
    lines.append("Read these files first unless you wrote them yourself or trust whoever did.")
    return lines
