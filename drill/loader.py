"""Load and validate deck folders (the format is described in decks/README.md).

Loading reads TOML and inspects Python files without running them, so it is fast and
safe. Running deck code (variant generators, reference examples, cases, wrong versions)
happens only through `load_module`, which runs the built-in deck's files and, of any other
deck, only files whose bytes are exactly those the learner agreed to (see `allow_code` and
drill/trust.py).
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
import math
import os
import re
import tomllib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

from drill import variants
from drill.deckcode import DECK_CODE_TIME_LIMIT_S, describe, error_line
from drill.errors import DeckError
from drill.models import KINDS, Deck, Item, Tolerance
from drill.variants import plain_value

BUILTIN = "dl_foundations"
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DECK_NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
TEXT_FIELDS = ("title", "prompt", "answer", "explanation", "insight")
TASKS = ("write", "fix")


@dataclass(frozen=True)
class Problem:
    path: Path | None
    line: int
    message: str

    def __str__(self) -> str:
        if self.path is None:  # a message that locates itself
            return self.message
        return f"{self.path}:{self.line}: {self.message}"


class DeckProblems(DeckError):
    """A deck with one or more problems, each located as file:line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = str(problems[0])
        more = len(problems) - 1
        tail = f" (and {more} more; `drill decks check` lists them all)" if more else ""
        super().__init__(first + tail)


def builtin_folder() -> Path:
    """The folder of the built-in deck, inside the installed package."""
    return Path(str(resources.files("drill.decks").joinpath(BUILTIN)))


def load_builtin() -> Deck:
    """The built-in deep-learning foundations deck."""
    return load_deck(builtin_folder(), builtin=True)


def load_deck(folder: Path, *, builtin: bool = False) -> Deck:
    """Read and check a deck folder; raise DeckProblems listing every problem found."""
    folder = Path(folder)
    problems: list[Problem] = []
    if not folder.is_dir():
        raise DeckError(f"{folder} is not a folder; a deck is a folder with a deck.toml in it")
    meta = _read_toml(folder / "deck.toml", problems)
    name = _deck_field(meta, "name", folder, problems)
    if name and not DECK_NAME_PATTERN.match(name):
        problems.append(
            Problem(folder / "deck.toml", _line_of(folder / "deck.toml", "name"),
                    f"deck name {name!r} may use only lowercase letters, digits, '_' and '-'")
        )
    title = _deck_field(meta, "title", folder, problems)
    description = _deck_field(meta, "description", folder, problems)

    items: list[Item] = []
    seen: dict[str, Path] = {}
    subfolders = sorted(
        p for p in folder.iterdir()
        if p.is_dir() and not p.name.startswith((".", "_"))
    )
    for position, sub in enumerate(subfolders, start=1):
        item = _load_item(sub, name or folder.name, position, problems, parse_python=not builtin)
        if item is None:
            continue
        if item.id in seen:
            problems.append(
                Problem(sub / "item.toml", _line_of(sub / "item.toml", "id"),
                        f"duplicate id {item.id!r} (also in {seen[item.id]})")
            )
            continue
        seen[item.id] = sub / "item.toml"
        items.append(item)
    if not items and not problems:
        problems.append(Problem(folder / "deck.toml", 1, "the deck has no items (no folder with an item.toml)"))
    if problems:
        raise DeckProblems(problems)
    return Deck(
        name=name, title=title, description=description, folder=folder,
        items=tuple(items), builtin=builtin,
    )


def validate(deck: Deck, seeds: range = range(25)) -> list[Problem]:
    """Run the deck's code: generators over `seeds`, references against their examples."""
    problems: list[Problem] = []
    for item in deck.items:
        if item.generator is not None:
            for seed in seeds:
                if item.kind != "numeric" and seed == 0:
                    continue
                try:
                    variants.make(item, seed)
                except DeckError as exc:  # its message already names the file and line
                    problems.append(Problem(None, 0, str(exc)))
                    break
        if item.kind == "code":
            problems.extend(_check_reference(item))
    return problems


# -- items ---------------------------------------------------------------------------------


def _load_item(sub: Path, deck_name: str, position: int, problems: list[Problem],
               parse_python: bool = True) -> Item | None:
    """One item folder. `parse_python=False` skips parsing its Python files: the built-in
    deck's are checked by drill's own tests, and parsing them costs every command time."""
    path = sub / "item.toml"
    if not path.is_file():
        problems.append(Problem(sub, 1, "an item folder needs an item.toml"))
        return None
    before = len(problems)
    data = _read_toml(path, problems)
    if data is None:
        return None

    def where(key: str) -> int:
        return _line_of(path, key)

    def need(key: str, kind: type | tuple[type, ...] = str) -> Any:
        if key not in data:
            problems.append(Problem(path, 1, f"missing field {key!r}"))
            return None
        value = data[key]
        if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
            wanted = "non-empty text" if kind is str else "a list of text" if kind is list else str(kind)
            problems.append(Problem(path, where(key), f"field {key!r} must be {wanted}"))
            return None
        return value

    item_id = need("id")
    if item_id is not None and not ID_PATTERN.match(item_id):
        problems.append(Problem(path, where("id"),
                                f"id {item_id!r} may use only lowercase letters, digits and '-'"))
    kind = need("kind")
    if kind is not None and kind not in KINDS:
        problems.append(Problem(path, where("kind"),
                                f"unknown kind {kind!r}; use one of {', '.join(KINDS)}"))
        kind = None
    texts = {key: need(key) for key in TEXT_FIELDS}
    tags = need("tags", list)
    if tags is not None:
        for tag in tags:
            if not isinstance(tag, str) or not tag or any(ch.isspace() for ch in tag):
                problems.append(Problem(path, where("tags"),
                                        f"tag {tag!r} must be text without spaces, like 'dl::backprop'"))
    checklist = data.get("checklist", [])
    if not isinstance(checklist, list) or not all(
        isinstance(point, str) and point.strip() for point in checklist
    ):
        problems.append(Problem(path, where("checklist"),
                                "field 'checklist' must be a list of key points (non-empty text)"))
        checklist = []
    known = {"id", "kind", "tags", "tolerance", "value", "task", "functions", "checklist",
             *TEXT_FIELDS}
    for key in data:
        if key not in known:
            problems.append(Problem(path, where(key), f"unknown field {key!r}"))

    tolerance = _tolerance(data.get("tolerance"), path, problems)
    value = data.get("value")
    if value is not None and not _is_value(value):  # the same rule as a generator's answer
        problems.append(Problem(path, where("value"),
                                "field 'value' must be a number, a list of numbers or a list of lists"))
    generator_path = sub / "variants.py"
    generator = None
    if generator_path.is_file() and (
            not parse_python or _python_defines(generator_path, ("generate",), problems)):
        generator = _LazyGenerator(generator_path, f"{deck_name}.{item_id}")
    if kind == "numeric" and generator is None and value is None:
        problems.append(Problem(path, 1, "a numeric item needs a 'value' field or a variants.py"))

    task = functions = starter = reference = None
    if kind == "code":
        task = need("task")
        if task is not None and task not in TASKS:
            problems.append(Problem(path, where("task"), f"task must be 'write' or 'fix', got {task!r}"))
        functions = need("functions", list)
        if functions is not None and (
            not functions or not all(isinstance(f, str) and f.isidentifier() for f in functions)
        ):
            problems.append(Problem(path, where("functions"),
                                    "field 'functions' must list the function names, like [\"relu\"]"))
            functions = None
        for name in ("starter.py", "reference.py"):
            if not (sub / name).is_file():
                problems.append(Problem(sub, 1, f"a code item needs a {name}"))
            elif functions and parse_python:
                _python_defines(sub / name, tuple(functions), problems)
        starter = _read_python(sub / "starter.py", problems)
        reference = _read_python(sub / "reference.py", problems)
    else:
        for key in ("task", "functions"):
            if key in data:
                problems.append(Problem(path, where(key), f"field {key!r} is only for code items"))

    if len(problems) > before:
        return None
    return Item(
        id=item_id, kind=kind, tags=tuple(tags), deck=deck_name, position=position, folder=sub,
        tolerance=tolerance, value=value, task=task, functions=tuple(functions or ()),
        starter=starter, reference=reference, checklist=tuple(p.strip() for p in checklist),
        generator=generator, **texts,
    )


def _tolerance(raw: Any, path: Path, problems: list[Problem]) -> Tolerance:
    if raw is None:
        return Tolerance()
    line = _line_of(path, "tolerance")
    if not isinstance(raw, dict) or set(raw) - {"rtol", "atol"}:
        problems.append(Problem(path, line, "tolerance must look like { rtol = 1e-6, atol = 1e-9 }"))
        return Tolerance()
    values = {}
    for key, number in raw.items():
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not (
            math.isfinite(number) and number >= 0
        ):
            problems.append(Problem(path, line, f"tolerance {key} must be a number >= 0"))
            return Tolerance()
        values[key] = float(number)
    return Tolerance(**values)


# -- files ---------------------------------------------------------------------------------


def _is_value(value: Any) -> bool:
    return plain_value(value) is not None


def _read_toml(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        problems.append(Problem(path, 1, "file not found"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(path, 1, f"cannot read the file ({exc})"))
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(match.group(1)) if match else 1
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        problems.append(Problem(path, line, f"not valid TOML: {message}"))
        return None


def _deck_field(meta: dict[str, Any] | None, key: str, folder: Path, problems: list[Problem]) -> str:
    if meta is None:
        return ""
    value = meta.get(key)
    if not isinstance(value, str) or not value.strip():
        path = folder / "deck.toml"
        line = _line_of(path, key) if key in meta else 1
        problems.append(Problem(path, line, f"field {key!r} must be non-empty text"))
        return ""
    return value


def _line_of(path: Path, key: str) -> int:
    """The line where `key = ...` is written in a TOML file (1 when it cannot be found)."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(lines, start=1):
        if pattern.match(line):
            return number
    return 1


def _read_python(path: Path, problems: list[Problem]) -> str | None:
    """A deck's Python file as text (None when missing); binary or unreadable is a problem."""
    if not path.is_file():
        return None
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(path, 1, f"cannot read the file as UTF-8 text ({exc.__class__.__name__})"))
        return None
    if "\x00" in text:
        problems.append(Problem(path, 1, "the file holds binary data, not Python source"))
        return None
    return text


def _python_defines(path: Path, names: tuple[str, ...], problems: list[Problem]) -> bool:
    """Check a Python file parses and defines `names` at top level, without running it."""
    try:
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    except SyntaxError as exc:
        problems.append(Problem(path, exc.lineno or 1, f"Python syntax error: {exc.msg}"))
        return False
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        problems.append(Problem(path, 1, f"cannot read the file ({exc})"))
        return False
    defined = {
        node.name for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    missing = [name for name in names if name not in defined]
    if missing:
        problems.append(Problem(path, 1, f"does not define {', '.join(missing)}()"))
        return False
    return True


# Deck folders whose code the learner agreed to run in this process: folder -> (deck name,
# {relative path: SHA-256 of the bytes agreed to}). The built-in deck needs no entry.
_ALLOWED: dict[Path, tuple[str, dict[str, str]]] = {}


def allow_code(folder: Path, deck_name: str, hashes: dict[str, str]) -> None:
    """Let `load_module` run these files of a deck folder, as long as their bytes are unchanged."""
    _ALLOWED[Path(os.path.abspath(folder))] = (deck_name, dict(hashes))


def disallow_code(folder: Path) -> None:
    """Run nothing more from a deck folder in this process."""
    _ALLOWED.pop(Path(os.path.abspath(folder)), None)


@functools.lru_cache(maxsize=1)
def _builtin_roots() -> tuple[Path, Path]:
    return Path(os.path.abspath(builtin_folder())), Path(os.path.realpath(builtin_folder()))


def _is_builtin(target: Path) -> bool:
    """True for a file of drill's own deck, however its path is spelled."""
    spelled, real = _builtin_roots()
    return target.is_relative_to(spelled) or Path(os.path.realpath(target)).is_relative_to(real)


def load_module(path: Path, name: str) -> ModuleType:
    """Import a deck's Python file by path; errors become DeckError with file:line.

    Every run of deck code goes through here. A file of the built-in deck is imported as
    usual; any other file runs only when its bytes are the ones the learner agreed to
    (`allow_code`): they are read once, checked and compiled, so neither an edit made since
    nor a cached .pyc beside the file can run in their place.
    """
    module_name = "drill_deck_" + re.sub(r"\W", "_", name)
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:  # not a file name Python imports (no .py)
        raise DeckError(f"{path}: cannot be imported as Python")
    importer = spec.loader
    module = importlib.util.module_from_spec(spec)
    target = Path(os.path.abspath(path))
    source = None if _is_builtin(target) else agreed_source(path)
    try:
        if source is None:
            importer.exec_module(module)
        else:
            exec(compile(source, str(path), "exec", dont_inherit=True), module.__dict__)
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - deck code may even call sys.exit()
        raise DeckError(f"{path}:{error_line(exc, path)}: importing it failed: {describe(exc)}") from None
    return module


def agreed_source(path: Path) -> bytes:
    """The bytes of an added deck's file, when they are the ones the learner agreed to run
    (DeckError otherwise): what may run, read once, for whatever runs it."""
    target = Path(os.path.abspath(path))
    folders = [folder for folder in _ALLOWED if target.is_relative_to(folder)]
    if not folders:
        raise DeckError(f"{path}: drill did not run it: it is not part of a deck whose code you "
                        f"trusted (`drill decks add FOLDER` shows a deck's code and asks)")
    folder = max(folders, key=lambda f: len(f.parts))  # a deck inside another: the nearest
    deck, hashes = _ALLOWED[folder]
    try:
        data = target.read_bytes()
    except OSError as exc:
        raise DeckError(f"{path}: cannot read it ({(exc.strerror or str(exc)).lower()})") from None
    if hashes.get(target.relative_to(folder).as_posix()) != hashlib.sha256(data).hexdigest():
        raise DeckError(f"{path}: drill did not run it: it changed since you trusted the deck "
                        f"{deck!r}; run `drill decks trust {deck}` to review the change")
    return data


def syntax_problems(paths: list[Path], skip: Collection[Path] = frozenset()) -> list[Problem]:
    """Python files that do not compile, found with compile() alone, which runs nothing."""
    problems = []
    for path in paths:
        if path in skip:
            continue
        try:
            compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
        except SyntaxError as exc:
            problems.append(Problem(path, exc.lineno or 1, f"Python syntax error: {exc.msg}"))
        except (ValueError, RecursionError, MemoryError) as exc:  # null bytes, absurd nesting
            problems.append(Problem(path, 1, f"not Python source ({describe(exc)})"))
        except OSError as exc:
            problems.append(Problem(path, 1, f"cannot read the file ({exc.strerror or exc})"))
    return problems


class _LazyGenerator:
    """A deck's generate(seed), imported the first time it is called."""

    def __init__(self, path: Path, name: str):
        self.path = path
        self.name = name
        self._function: Callable[[int], object] | None = None

    def __call__(self, seed: int) -> object:
        target = Path(os.path.abspath(self.path))
        if not _is_builtin(target):
            return _contained_generate(self.path, target, self.name, seed)
        function = self._function
        if function is None:
            function = self._function = load_module(self.path, self.name + ".variants").generate
        return function(seed)


def _contained_generate(path: Path, target: Path, name: str, seed: int) -> object:
    """An added deck's generate(seed), run in that deck's contained process (drill/deckrunner.py)."""
    from drill import deckrunner

    source = agreed_source(path)
    folder = max((f for f in _ALLOWED if target.is_relative_to(f)), key=lambda f: len(f.parts))
    module = "drill_deck_" + re.sub(r"\W", "_", name + ".variants")
    try:
        return deckrunner.call(folder, target.relative_to(folder).as_posix(), source, module,
                               "generate", [seed], DECK_CODE_TIME_LIMIT_S)
    except deckrunner.DeckCodeError as exc:
        line = exc.line if exc.file == target.relative_to(folder).as_posix() and exc.line else 1
        raise DeckError(f"{path}:{line}: generate({seed}) failed: {exc}") from None


def _check_reference(item: Item) -> list[Problem]:
    path = item.folder / "reference.py"
    try:
        module = load_module(path, f"{item.deck}.{item.id}.reference")
    except DeckError as exc:
        return [Problem(path, 1, str(exc))]
    problems = []
    examples = getattr(module, "EXAMPLES", [])
    if not isinstance(examples, (list, tuple)):
        return [Problem(path, 1, "EXAMPLES must be a list of (function_name, args, expected) tuples")]
    for number, example in enumerate(examples, start=1):
        try:
            name, args, expected = example
            got = getattr(module, name)(*args)
            if not _same(got, expected):
                problems.append(Problem(path, 1, f"example {number}: {name}{_short(args)} gave "
                                                 f"{_short(got)}, expected {_short(expected)}"))
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - see above
            problems.append(Problem(path, error_line(exc, path),
                                    f"example {number} failed: {describe(exc)}"))
    return problems


def _same(got: Any, expected: Any) -> bool:
    import numpy as np

    try:
        got_arr, want_arr = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    return got_arr.shape == want_arr.shape and bool(np.allclose(got_arr, want_arr, rtol=1e-6, atol=1e-9))


def _short(value: Any, limit: int = 60) -> str:
    text = " ".join(repr(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

