"""The direction of imports: no cycles, the library never reaches the CLI, drill never imports
an exporter (it finds them through the entry points).

Read from the source with `ast`, every import counted, those inside functions too: a lazy
import hides a cycle from Python's loader, not from the next reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The terminal edge: the Click layer and the two interactive screens it drives.
EDGE = {"drill.cli", "drill.review_ui", "drill.selfcheck_ui", "drill.__main__"}


def module_files() -> dict[str, Path]:
    """Module name -> file, as installed (exporters/ is drill.exporters)."""
    found = {f"drill.{path.stem}": path for path in (ROOT / "drill").glob("*.py")}
    found["drill"] = found.pop("drill.__init__")
    for path in (ROOT / "exporters").glob("*.py"):
        found["drill.exporters" if path.stem == "__init__" else f"drill.exporters.{path.stem}"] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of `known` that `name` imports, anywhere in its file (the package itself
    counts only when a name is taken from its __init__)."""
    package = name if path.stem == "__init__" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package
                for _ in range(node.level - 1):
                    anchor = anchor.rpartition(".")[0]
                base = f"{anchor}.{base}" if base else anchor
            submodules = [f"{base}.{alias.name}" for alias in node.names]
            targets = [t for t in submodules if t in known] or [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    files = module_files()
    return {name: imports_of(name, path, set(files)) for name, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected parts of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            part = []
            while True:
                other = stack.pop()
                part.append(other)
                if other == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_reader_sees_every_module():
    graph = import_graph()
    assert {"drill.cli", "drill.store", "drill.checker", "drill.exporters.anki"} <= set(graph)
    assert "drill.database" in graph["drill.cli"]  # imports inside functions are read too


@pytest.mark.parametrize(("graph", "expected"), [
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
], ids=["a chain", "two modules", "three in a ring"])
def test_the_cycle_finder_finds_cycles(graph, expected):
    assert cycles(graph) == expected


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_the_library_never_imports_click():
    files = module_files()
    for name, path in files.items():
        if name not in EDGE:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                     for alias in node.names}
            names |= {node.module for node in ast.walk(tree)
                      if isinstance(node, ast.ImportFrom) and node.module}
            assert not any(n == "click" or n.startswith("click.") for n in names), name


def test_drill_reaches_exporters_only_through_entry_points():
    graph = import_graph()
    for name, imported in graph.items():
        if not name.startswith("drill.exporters"):
            assert not any(m.startswith("drill.exporters") for m in imported), name
