"""Top-level and kit tests stand alone: no test module imports another test module or a conftest,
and nothing is loaded by file path; what they share is in ``tests/support/`` (read with ast)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SUITES = [REPO / "tests" / d for d in ("deploy", "events", "e2e", "platform", "support")]
SUITES.append(REPO / "libs" / "kit" / "tests")


def imports(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def offences(root: Path) -> Iterator[str]:
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        where = path.relative_to(root)
        for name in imports(tree):
            last = name.rsplit(".", 1)[-1]
            if last.startswith("test_") or last == "conftest":
                yield f"{where} imports {name}"
        if any(isinstance(n, ast.Attribute) and n.attr == "spec_from_file_location" for n in ast.walk(tree)):
            yield f"{where} loads a module by path"


def test_no_test_module_imports_another_or_loads_one_by_path() -> None:
    assert [o for suite in SUITES for o in offences(suite)] == []


def test_the_check_sees_an_import_of_another_test_module(tmp_path: Path) -> None:
    (tmp_path / "test_a.py").write_text("from tests.events.test_backbone import running\n")
    (tmp_path / "test_b.py").write_text("import importlib.util\nimportlib.util.spec_from_file_location('m', 'x.py')\n")
    assert list(offences(tmp_path)) == [
        "test_a.py imports tests.events.test_backbone",
        "test_b.py loads a module by path",
    ]
