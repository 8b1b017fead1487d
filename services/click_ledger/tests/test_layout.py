"""The click-ledger's rooms: no import circle, one click insert, reads across rooms through
query modules, tests that stand alone. Read from the source (ast), nothing runs."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import trickle_click_ledger

PACKAGE = Path(trickle_click_ledger.__file__).parent
TESTS = Path(__file__).parent
NAME = "trickle_click_ledger"


def modules(root: Path) -> Iterator[tuple[str, ast.Module]]:
    """(dotted path below the package, parsed source) of every module."""
    for path in sorted(root.rglob("*.py")):
        yield ".".join(path.relative_to(root).with_suffix("").parts), ast.parse(path.read_text(), str(path))


def imported(tree: ast.Module) -> Iterator[str]:
    """Every absolute module name a module imports (``from a import b`` gives a and a.b)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def room(module: str) -> str:
    """The subpackage (or top-level module) a module belongs to: ``clicks.batcher`` → ``clicks``."""
    return module.split(".")[0]


def room_graph(root: Path) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, tree in modules(root):
        here = room(module)
        graph.setdefault(here, set())
        for name in imported(tree):
            if name.startswith(NAME + "."):
                there = room(name.removeprefix(NAME + "."))
                if there != here:
                    graph[here].add(there)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle found by a depth-first walk (each reported from where it closes)."""
    found: list[list[str]] = []
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = "done"

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    return found


def test_the_click_ledgers_packages_import_each_other_without_a_circle() -> None:
    graph = room_graph(PACKAGE)
    assert circles(graph) == []
    assert {"clicks", "periods", "subscriptions", "things", "widgets"} <= set(graph)  # the walk saw them


def test_no_module_imports_itself_back() -> None:
    """Inside a room too: clicks.writer ← clicks.service ← clicks.batcher ← clicks.endpoints, one way."""
    parsed = dict(modules(PACKAGE))
    graph: dict[str, set[str]] = {}
    for module, tree in parsed.items():
        graph[module] = set()
        for name in imported(tree):
            local = name.removeprefix(NAME + ".")
            if local in parsed and local != module:
                graph[module].add(local)
    assert circles(graph) == []


def test_the_circle_finder_finds_circles() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_one_statement_inserts_clicks_and_only_the_click_writer_runs_it() -> None:
    """The insert is the ``write_clicks`` function's (migration 0008); the repository alone calls the
    function, and the writer alone runs the repository's call."""
    inserts: list[str] = []
    calls: list[str] = []
    runners: list[str] = []
    for module, tree in modules(PACKAGE):
        source = ast.unparse(tree)
        inserts += [module] * (source.count("INSERT INTO clicks") + source.count("insert(Click)"))
        calls += [module] * source.count("write_clicks(:")
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
                if called in ("write_clicks", "write_clicks_on"):
                    runners.append(module)
    migrations = [m.read_text() for m in (TESTS.parent / "migrations" / "versions").glob("*.py")]
    inserting = [m for m in migrations if "INSERT INTO clicks" in m]
    assert inserts == []
    assert calls == ["clicks.repository"]
    assert sorted(set(runners)) == ["clicks.writer"]
    assert inserting and all("FUNCTION write_clicks(" in m for m in inserting)


def test_no_room_reads_another_rooms_repository() -> None:
    """Across rooms, reads go through a query module (``clicks.queries``), writes through the room's service."""
    crossing = [
        (module, name)
        for module, tree in modules(PACKAGE)
        for name in imported(tree)
        if name.startswith(NAME + ".")
        and name.removeprefix(NAME + ".").split(".")[1:2] == ["repository"]
        and room(name.removeprefix(NAME + ".")) != room(module)
    ]
    assert crossing == []


def test_test_modules_share_helpers_only_through_the_support_package() -> None:
    """No test module imports another one, or finds a file by its own path: shared things are in support/."""
    offending = []
    for module, tree in modules(TESTS):
        if module.startswith("support") or module == "conftest":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                target = node.module or ""
                if target.split(".")[0] != "support":
                    offending.append((module, "." * node.level + target))
            if isinstance(node, ast.Name) and node.id == "__file__" and module != "test_layout":
                offending.append((module, "__file__"))
    assert offending == []


def test_only_endpoints_know_where_a_request_carried_an_input() -> None:
    """Services raise domain errors (``errors.InvalidInput`` names ``url``); ``body.url`` is the edge's word."""
    located = [
        (module, node.value)
        for module, tree in modules(PACKAGE)
        if not module.endswith("endpoints") and module != "deps"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.startswith(("body.", "query.", "path.", "header."))
    ]
    assert located == []
