"""The house's conventions (docs/architecture.md, "Conventions: one way each") as checks a service's
tests run against its own source. Read with ``ast``; nothing is imported or run.

Each check returns what breaks the convention (empty: kept), so a test reads
``assert layout.endpoint_plumbing_offences(PACKAGE) == []``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path


def parsed(root: Path, pattern: str = "*.py") -> Iterator[tuple[str, ast.Module]]:
    """Every module below ``root`` matching ``pattern``: (path relative to root, its tree)."""
    for path in sorted(root.rglob(pattern)):
        yield str(path.relative_to(root)), ast.parse(path.read_text(), str(path))


def module_level_imports(tree: ast.Module) -> Iterator[str]:
    """Modules imported at the top of a module (``.x`` for relative ones)."""
    for node in tree.body:
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield "." * node.level + node.module


def all_imports(tree: ast.Module) -> Iterator[str]:
    """Modules imported anywhere in a module, also inside functions."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield "." * node.level + (node.module or "")


def names_used(tree: ast.Module) -> set[str]:
    """Every name and attribute a module mentions."""
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)
    }


def models_registry_offences(package: Path, package_name: str) -> list[str]:
    """``models.py`` holds ``Base`` and imports no domain model at module level (no import circle)."""
    tree = ast.parse((package / "models.py").read_text())
    return [name for name in module_level_imports(tree) if name.startswith(package_name)]


def endpoint_plumbing_offences(package: Path) -> list[str]:
    """Endpoints take ``Sessions``, ``AppSettings`` and the auth aliases of ``deps.py``: no
    ``sessions_of``, inline ``require`` or ``request.app.state``."""
    return [
        f"{name}: {sorted(used)}"
        for name, tree in parsed(package, "endpoints.py")
        if (used := names_used(tree) & {"sessions_of", "require", "state"})
    ]


def located_input_offences(package: Path) -> list[str]:
    """Only endpoints know where a request carried an input (``body.…``); services name the input."""
    return [
        f"{name}: {n.value!r}"
        for name, tree in parsed(package)
        if not name.endswith("endpoints.py")
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and str(n.value).startswith("body.")
    ]


def _imported_names(tree: ast.Module) -> Iterator[str]:
    """Modules imported anywhere, and every name taken from them (``from tests import test_x``)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def standalone_offences(tests: Path) -> list[str]:
    """Test modules import no other test module or conftest and load nothing by file path."""
    offences = []
    for name, tree in parsed(tests):
        for imported in _imported_names(tree):
            last = imported.rsplit(".", 1)[-1]
            if last.startswith("test_") or last == "conftest":
                offences.append(f"{name} imports {imported}")
        if "spec_from_file_location" in names_used(tree):
            offences.append(f"{name} loads a module by path")
    return offences
