"""The webhook service keeps the conventions of docs/architecture.md (read from the source with ast, nothing runs)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import trickle_webhook

PACKAGE = Path(trickle_webhook.__file__).parent
TESTS = Path(__file__).parent


def parsed(root: Path, pattern: str = "*.py") -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(root.rglob(pattern)):
        yield str(path.relative_to(root)), ast.parse(path.read_text(), str(path))


def module_level_imports(tree: ast.Module) -> Iterator[str]:
    for node in tree.body:
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield "." * node.level + node.module


def all_imports(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield "." * node.level + (node.module or "")


def names_used(tree: ast.Module) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)
    }


def test_models_py_imports_no_domain_model_so_there_is_no_circle() -> None:
    tree = ast.parse((PACKAGE / "models.py").read_text())
    assert [name for name in module_level_imports(tree) if name.startswith("trickle_webhook")] == []


def test_endpoints_take_sessions_settings_and_principals_from_dependencies() -> None:
    for name, tree in parsed(PACKAGE, "endpoints.py"):
        used = names_used(tree)
        assert not used & {"sessions_of", "require", "state"}, name  # Sessions, AppSettings, aliases in deps.py


def test_services_name_inputs_without_knowing_where_the_request_carried_them() -> None:
    for name, tree in parsed(PACKAGE):
        if name.endswith("endpoints.py"):
            continue
        located = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and str(n.value).startswith("body.")]
        assert located == [], name


def test_test_modules_import_no_other_test_module_nor_load_files_by_path() -> None:
    for name, tree in parsed(TESTS):
        for imported in all_imports(tree):
            last = imported.rsplit(".", 1)[-1]
            assert not last.startswith("test_") and last != "conftest", f"{name} imports {imported}"
        assert "spec_from_file_location" not in names_used(tree), name
