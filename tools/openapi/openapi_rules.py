"""Quality rules that make an OpenAPI document generate pleasant clients (SPEC 9).

Each rule returns every offender as a readable line ("POST /v1/things: ..."), so a failing check
names all of them at once. Used by ``tests/platform/test_openapi.py`` and printed by the merge.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

Document = dict[str, Any]
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PROBLEM_JSON = "application/problem+json"
PROBLEM_REF = "#/components/schemas/Problem"
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
TWIN_NAME = re.compile(r".+-(Input|Output)$")


def operations(doc: Document) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``(path, METHOD, operation)`` for every operation, in document order."""
    for path, item in doc.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method.upper(), item[method]


def _where(path: str, method: str) -> str:
    return f"{method} {path}"


def operation_id_offenders(doc: Document) -> list[str]:
    """Every operation has a snake_case operationId, and no two share one."""
    seen: dict[str, str] = {}
    offenders = []
    for path, method, op in operations(doc):
        op_id = op.get("operationId")
        where = _where(path, method)
        if not op_id:
            offenders.append(f"{where}: no operationId")
            continue
        if not SNAKE_CASE.match(op_id):
            offenders.append(f"{where}: operationId {op_id!r} is not snake_case")
        if op_id in seen:
            offenders.append(f"{where}: operationId {op_id!r} is also used by {seen[op_id]}")
        else:
            seen[op_id] = where
    return offenders


def _is_anonymous_object(schema: dict[str, Any]) -> bool:
    """An inline object with its own properties: the generator has to invent a name for it."""
    if "$ref" in schema:
        return False
    if schema.get("type") == "object" or "properties" in schema:
        return bool(schema.get("properties")) or isinstance(schema.get("additionalProperties"), dict)
    return any(
        _is_anonymous_object(branch)
        for key in ("anyOf", "oneOf", "allOf")
        for branch in schema.get(key, [])
        if isinstance(branch, dict)
    ) or (isinstance(schema.get("items"), dict) and _is_anonymous_object(schema["items"]))


def _body_schemas(op: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for media, obj in op.get("requestBody", {}).get("content", {}).items():
        yield "request body", media, obj.get("schema", {})
    for status, response in op.get("responses", {}).items():
        for media, obj in response.get("content", {}).items():
            yield f"response {status}", media, obj.get("schema", {})


def anonymous_schema_offenders(doc: Document) -> list[str]:
    """Request and response bodies refer to named schemas, never inline objects."""
    offenders = []
    for path, method, op in operations(doc):
        for what, media, schema in _body_schemas(op):
            if _is_anonymous_object(schema):
                offenders.append(f"{_where(path, method)}: {what} ({media}) is an inline object schema")
    return offenders


def twin_schema_offenders(doc: Document) -> list[str]:
    """No ``Name-Input``/``Name-Output`` pairs (FastAPI's separate input/output schemas)."""
    names = doc.get("components", {}).get("schemas", {})
    return [f"schema {name}: an -Input/-Output twin" for name in sorted(names) if TWIN_NAME.match(name)]


def auto_named_schema_offenders(doc: Document) -> list[str]:
    """No schema named by FastAPI from the function (``Body_create_token``): name the model."""
    names = doc.get("components", {}).get("schemas", {})
    return [f"schema {name}: named by FastAPI, not by a model" for name in sorted(names) if name.startswith("Body_")]


def problem_response_offenders(doc: Document) -> list[str]:
    """Every non-2xx response is documented as ``Problem`` in application/problem+json (and only that)."""
    offenders = []
    for path, method, op in operations(doc):
        for status, response in op.get("responses", {}).items():
            if str(status).startswith(("1", "2", "3")):
                continue
            content = response.get("content", {})
            schema = content.get(PROBLEM_JSON, {}).get("schema", {})
            if schema.get("$ref") != PROBLEM_REF or set(content) != {PROBLEM_JSON}:
                offenders.append(
                    f"{_where(path, method)}: response {status} is {sorted(content) or 'empty'}, not Problem "
                    f"as {PROBLEM_JSON}"
                )
    return offenders


def security_offenders(doc: Document) -> list[str]:
    """One OAuth2 client-credentials scheme with scopes; operations only ask for scopes it declares."""
    schemes = doc.get("components", {}).get("securitySchemes", {})
    oauth = schemes.get("OAuth2", {})
    flow = oauth.get("flows", {}).get("clientCredentials", {})
    if oauth.get("type") != "oauth2" or not flow.get("tokenUrl") or not flow.get("scopes"):
        return ["components.securitySchemes.OAuth2: not an OAuth2 client-credentials scheme with scopes"]
    offenders = [
        f"components.securitySchemes.{name}: more than the one OAuth2 scheme" for name in schemes if name != "OAuth2"
    ]
    for path, method, op in operations(doc):
        for requirement in op.get("security", []):
            for name, scopes in requirement.items():
                unknown = sorted(set(scopes) - set(flow["scopes"]))
                if name != "OAuth2" or unknown:
                    offenders.append(f"{_where(path, method)}: security {name} {unknown or ''} is not declared")
    return offenders


def _has_example(doc: Document, schema: dict[str, Any], depth: int = 0) -> bool:
    if depth > 8:
        return False
    if any(key in schema for key in ("examples", "example", "default", "const", "enum")):
        return True
    if "$ref" in schema:
        target = doc["components"]["schemas"].get(schema["$ref"].rpartition("/")[2], {})
        return _has_example(doc, target, depth + 1)
    branches = [b for key in ("anyOf", "oneOf") for b in schema.get(key, []) if b.get("type") != "null"]
    if branches:
        return any(_has_example(doc, branch, depth + 1) for branch in branches)
    if "allOf" in schema:
        return all(_has_example(doc, branch, depth + 1) for branch in schema["allOf"])
    if schema.get("type") == "boolean":
        return True
    props = schema.get("properties")
    if props:
        return not _missing_example_fields(doc, schema, depth + 1)
    return False


def _missing_example_fields(doc: Document, schema: dict[str, Any], depth: int = 0) -> list[str]:
    props = schema.get("properties", {})
    required = schema.get("required", [])
    if not required and props:  # all optional: one field with an example makes a useful request
        return [] if any(_has_example(doc, p, depth) for p in props.values()) else ["(any field)"]
    return [name for name in required if not _has_example(doc, props.get(name, {}), depth)]


def missing_example_offenders(doc: Document) -> list[str]:
    """Request bodies whose schema has no example, naming the required fields without one.

    A body has an example when its media type or schema carries one, or when every required field
    has ``examples`` (or a default, const or enum) — enough for docs and generated clients to show
    a request that validates.
    """
    offenders = []
    for path, method, op in operations(doc):
        for media, obj in op.get("requestBody", {}).get("content", {}).items():
            if "example" in obj or "examples" in obj:
                continue
            schema = obj.get("schema", {})
            name = schema.get("$ref", "").rpartition("/")[2]
            target = doc["components"]["schemas"].get(name, {}) if name else schema
            if any(key in target for key in ("examples", "example")):
                continue
            missing = _missing_example_fields(doc, target)
            if missing:
                offenders.append(f"{_where(path, method)}: {name or media} has no example for {', '.join(missing)}")
    return offenders


RULES: dict[str, Callable[[Document], list[str]]] = {
    "operation_ids": operation_id_offenders,
    "anonymous_schemas": anonymous_schema_offenders,
    "twin_schemas": twin_schema_offenders,
    "auto_named_schemas": auto_named_schema_offenders,
    "problem_responses": problem_response_offenders,
    "security": security_offenders,
}
"""Rules a document must pass; ``missing_example_offenders`` is advisory (the merge never invents examples)."""


def all_offenders(doc: Document) -> dict[str, list[str]]:
    return {name: rule(doc) for name, rule in RULES.items()}
