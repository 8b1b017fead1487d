"""clients/ is what `make clients` makes from openapi.json, and the examples in docs/clients.md fit it."""

from __future__ import annotations

import ast
import filecmp
import importlib
import inspect
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ROOT / "clients"
TOOLS = ROOT / "tools" / "openapi"
DOCS = ROOT / "docs" / "clients.md"
SPEC = json.loads((ROOT / "openapi.json").read_text())
METHODS = ("get", "put", "post", "delete", "patch")
OPERATIONS = [
    (op["tags"][0].replace("-", "_"), op["operationId"])
    for item in SPEC["paths"].values()
    for method, op in item.items()
    if method in METHODS
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clients")
    result = subprocess.run(
        ["bash", str(TOOLS / "clients.sh"), str(out)], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _differences(expected: Path, actual: Path) -> list[str]:
    """Relative paths that are missing, extra or different between two trees."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(f"only in committed clients/: {prefix}{name}" for name in cmp.left_only)
        found.extend(f"only in a fresh generation: {prefix}{name}" for name in cmp.right_only)
        found.extend(f"differs: {prefix}{name}" for name in cmp.diff_files + cmp.funny_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(expected, actual, ignore=["__pycache__"]), "")
    return found


def test_committed_clients_are_what_make_clients_generates(generated: Path) -> None:
    differences = _differences(CLIENTS, generated)
    assert not differences, "clients/ is stale: run make clients\n" + "\n".join(differences[:40])


def _client() -> Any:
    path = str(CLIENTS / "python")
    if path not in sys.path:
        sys.path.insert(0, path)
    return importlib.import_module("trickle_client")


def test_python_client_has_every_operation_sync_and_async() -> None:
    # sync/asyncio (parsed body only) are left out for answers without a JSON model (embed.js).
    _client()
    missing = []
    for service, operation_id in OPERATIONS:
        try:
            module = importlib.import_module(f"trickle_client.api.{service}.{operation_id}")
        except ImportError as exc:
            missing.append(f"{service}.{operation_id}: {exc}")
            continue
        for function in ("sync_detailed", "asyncio_detailed"):
            if not callable(getattr(module, function, None)):
                missing.append(f"{service}.{operation_id}.{function}")
    assert not missing, "\n".join(missing)
    assert len(OPERATIONS) > 40


def test_python_client_speaks_problem_json_and_client_credentials() -> None:
    client = _client()
    models = importlib.import_module("trickle_client.models")
    token = importlib.import_module("trickle_client.api.wallet.create_token")
    kwargs = token._get_kwargs(
        body=models.BodyCreateToken(grant_type="client_credentials", client_id="key_1", client_secret="tks_x")
    )
    assert kwargs["url"] == "/v1/oauth/token"
    assert kwargs["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    problem = models.Problem.from_dict({"title": "Forbidden", "status": 403, "code": "insufficient_scope"})
    assert problem.code == "insufficient_scope"
    authed = client.AuthenticatedClient(base_url="http://127.0.0.1:8080", token="t")
    assert authed.get_httpx_client().headers["Authorization"] == "Bearer t"


def test_typescript_types_name_every_operation_and_schema() -> None:
    text = (CLIENTS / "typescript" / "trickle.d.ts").read_text()
    missing = [op for _, op in OPERATIONS if not re.search(rf"^\s+{op}: \{{$", text, re.M)]
    assert not missing, f"operations missing from trickle.d.ts: {missing}"
    for name in ("Problem", "AccessToken"):
        assert f"export type {name} = components['schemas']['{name}'];" in text


def _code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOCS.read_text(), re.S)


def test_docs_python_example_calls_the_client_as_generated() -> None:
    _client()
    (source,) = _code_blocks("python")
    tree = ast.parse(source)
    names: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            module = importlib.import_module(node.module)
            for alias in node.names:
                names[alias.asname or alias.name] = getattr(module, alias.name, None) or importlib.import_module(
                    f"{node.module}.{alias.name}"
                )
    wrong = []
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        func = call.func
        target: Any = None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in names:
            target = getattr(names[func.value.id], func.attr, None)
            label = f"{func.value.id}.{func.attr}"
        elif isinstance(func, ast.Name) and func.id in names:
            target = names[func.id]
            label = func.id
        else:
            continue
        if target is None:
            wrong.append(f"line {call.lineno}: {label} does not exist")
            continue
        params = inspect.signature(target).parameters
        wrong += [
            f"line {call.lineno}: {label}() has no parameter {kw.arg}"
            for kw in call.keywords
            if kw.arg and kw.arg not in params
        ]
    assert not wrong, "\n".join(wrong)


def test_docs_typescript_example_typechecks_against_the_types(generated: Path, tmp_path: Path) -> None:
    (source,) = _code_blocks("ts")
    types_dir = tmp_path / "clients" / "typescript"
    types_dir.mkdir(parents=True)
    shutil.copy(CLIENTS / "typescript" / "trickle.d.ts", types_dir)
    example = tmp_path / "example.ts"
    example.write_text(source)
    tsc = TOOLS / "node_modules" / ".bin" / "tsc"
    args = ["--noEmit", "--strict", "--target", "es2022", "--module", "es2022", "--lib", "es2022,dom"]
    result = subprocess.run(
        [str(tsc), *args, str(example)], capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
