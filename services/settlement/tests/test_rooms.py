"""The house's rules, checked on the source: no import circle, no SQL in endpoints or in the close's
orchestration, no environment read by the service's code, test support never imported by it."""

from __future__ import annotations

import ast
from pathlib import Path

import trickle_settlement

PACKAGE = Path(trickle_settlement.__file__).resolve().parent


def modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(), str(path))
    return found


def imports_of(name: str, tree: ast.Module, known: set[str]) -> set[str]:
    """Modules of the package that ``name`` imports at module level (not inside functions)."""
    out: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("trickle_settlement"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                out.add(full if full in known else node.module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in known}
    return out - {name}


def test_no_module_of_the_service_imports_itself_back() -> None:
    trees = modules()
    graph = {name: imports_of(name, tree, set(trees)) for name, tree in trees.items()}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                raise AssertionError("import circle: " + " → ".join([*path, node, nxt]))
            if nxt not in state:
                visit(nxt, [*path, node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def _source(relative: str) -> str:
    return (PACKAGE / relative).read_text()


def test_endpoints_and_orchestration_hold_no_sql() -> None:
    orchestration = ["close/service.py", "close/gate.py", "escrow/service.py", "money_flows/service.py"]
    for room in ["close/endpoints.py", "statements/endpoints.py", *orchestration]:
        source = _source(room)
        for sql in ("from sqlalchemy import", "sqlalchemy.dialects", ".execute(", ".fetch(", "raw_connection"):
            assert sql not in source, f"{room} holds {sql}…"


def test_the_service_reads_no_environment_and_never_imports_its_test_support() -> None:
    for name, tree in modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
                raise AssertionError(f"{name} reads the environment (settings do that)")
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                assert not any(n.startswith("trickle_settlement_testing") for n in names), name


def test_test_modules_stand_alone() -> None:
    """No test module imports another's helpers or loads code by file path: what tests share is in
    ``trickle_settlement_testing``."""
    tests = Path(__file__).resolve().parent
    for path in sorted(tests.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                for name in names:
                    last = name.rsplit(".", 1)[-1]
                    assert not (last.startswith("test_") or last == "conftest" or name.startswith("tests")), (
                        f"{path.relative_to(tests)} imports {name}"
                    )
            if isinstance(node, ast.Attribute) and node.attr in ("spec_from_file_location", "SourceFileLoader"):
                raise AssertionError(f"{path.relative_to(tests)} loads code by file path")
            if isinstance(node, ast.Attribute) and node.attr == "path" and getattr(node.value, "id", "") == "sys":
                raise AssertionError(f"{path.relative_to(tests)} edits sys.path")
