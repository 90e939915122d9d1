"""The import graph of the ``chiso`` package, read from its source (every ``import`` and
``from … import``, at the top of a module or inside a function; not those for type annotations
only, under ``if TYPE_CHECKING:``): for the tests that keep the package's layers (tests/test_imports.py, tests/web/test_layers.py)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def modules(src: Path = SRC) -> dict[str, Path]:
    """Every module of ``chiso`` by its dotted name (a package by its own name)."""
    found = {}
    for path in sorted((src / "chiso").rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(src: Path = SRC) -> dict[str, set[str]]:
    """What each module of ``chiso`` imports of ``chiso``: the modules it names."""
    known = modules(src)
    return {name: _imported(path, name, known) for name, path in known.items()}


def _imported(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    named: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            named.add(base)
            named.update(f"{base}.{alias.name}" for alias in node.names)
    found = {_module(each, known) for each in named if each.split(".")[0] == "chiso"}
    return {each for each in found if each and each != name}


def _runtime_nodes(tree: ast.Module) -> list[ast.AST]:
    """Every node of the module but those under ``if TYPE_CHECKING:`` (an import for type
    annotations only, never run: it makes no circle)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            skipped.update(id(inner) for child in node.body for inner in ast.walk(child))
    return [node for node in ast.walk(tree) if id(node) not in skipped]


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


def _module(name: str, known: dict[str, Path]) -> str:
    """The module a dotted name is, or is in (``chiso.core.Framework`` → ``chiso.core``)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The circles of imports: each set of modules that import one another, in a circle."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for other in sorted(graph.get(module, ())):
            if other not in order:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], order[other])
        if low[module] == order[module]:
            circle = stack[stack.index(module) :]
            del stack[stack.index(module) :]
            if len(circle) > 1:
                found.append(sorted(circle))

    for module in sorted(graph):
        if module not in order:
            visit(module)
    return found
