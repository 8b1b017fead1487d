"""The platform's operations as openapi.json documents them, and how to fill their parameters.

The privacy test and the authorization matrix are generated from these: an operation added to
openapi.json is called by them without editing a test. Filling is strict: every parameter must
have a value source (a name of ``PrivateMonth.values``) or be in ``LEFT_AT_DEFAULT`` with a
reason, so an operation whose parameter nobody thought of fails instead of being skipped.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
METHODS = ("get", "put", "post", "delete", "patch")

# Parameters the tests leave out (the operation's default applies), each with why that is enough.
LEFT_AT_DEFAULT: dict[str, str] = {
    "limit": "set to the maximum in the full variant below; pages follow the same scoping as the first",
    "starting_after": "a cursor of a page the caller already read; the first page is what is checked",
    "posted_from": "narrows a statement by time; the whole statement is read",
    "posted_before": "narrows a statement by time; the whole statement is read",
    "if-none-match": "a conditional request only shortens an answer already checked",
    "Idempotency-Key": "sent fresh by the caller on every write",
    "Sandbox-Signature": "the sandbox provider's callback is no read of anyone's data",
}

# Query values that are no id: the same in every world.
FIXED_QUERY: dict[str, list[str]] = {
    "include_revoked": ["true"],
    "verify": ["true"],
    "day": ["2000-01-01", date.today().isoformat()],
    # GET /v1/accounts (operators' search): the private patron's own email and name, which nobody else may find.
    "email": ["pat@example.org"],
    "q": ["Pat"],
    # /v1/operations/<service>/dead-letters/{event_id}: operators only, whichever the event.
    "event_id": ["evt_0190c0ffee0000000000000000000000"],
    # An app's authorization request (GET /v1/oauth/authorization-requests) and the client ids in paths
    # (/v1/oauth/clients/{client_id}, /v1/accounts/{account_id}/authorized-apps/{client_id}): the
    # built-in first-party client, which belongs to nobody.
    "client_id": ["trickle-web"],
    "response_type": ["code"],
    "redirect_uri": ["https://app.example/callback"],
    "scope": ["accounts:read"],
    "state": ["e2e-state"],
    "code_challenge": ["E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"],
    "code_challenge_method": ["S256"],
}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    parameters: tuple[dict[str, Any], ...]
    scopes: tuple[str, ...]
    has_body: bool

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path} ({self.operation_id})"

    @property
    def path_parameters(self) -> list[str]:
        return [p["name"] for p in self.parameters if p["in"] == "path"]

    @property
    def is_public(self) -> bool:
        return not self.scopes


@dataclass(frozen=True)
class Call:
    """One concrete request of an operation."""

    operation: Operation
    path: str
    params: dict[str, str]

    def __str__(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.operation.method.upper()} {self.path}{'?' + query if query else ''}"


def load_openapi() -> dict[str, Any]:
    return dict(json.loads((REPO / "openapi.json").read_text()))


def operations(document: Mapping[str, Any] | None = None) -> list[Operation]:
    doc = document or load_openapi()
    out: list[Operation] = []
    for path, item in doc["paths"].items():
        shared = item.get("parameters", [])
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            scopes = tuple(s for req in op.get("security") or [] for scheme in req.values() for s in scheme)
            out.append(
                Operation(
                    method=method,
                    path=path,
                    operation_id=op["operationId"],
                    parameters=tuple([*shared, *op.get("parameters", [])]),
                    scopes=scopes,
                    has_body="requestBody" in op,
                )
            )
    return out


def _enum_of(parameter: Mapping[str, Any], document: Mapping[str, Any]) -> list[str]:
    schema = parameter.get("schema", {})
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    for candidate in [schema, *schema.get("anyOf", [])]:
        if "$ref" in candidate:
            candidate = document["components"]["schemas"][candidate["$ref"].rsplit("/", 1)[-1]]
        if "enum" in candidate:
            return [str(v) for v in candidate["enum"]]
    return []


class UnfillableParameter(AssertionError):
    pass


def calls(op: Operation, values: Mapping[str, list[str]], document: Mapping[str, Any] | None = None) -> Iterator[Call]:
    """Every request the tests make of ``op``: each combination of path values, with the query
    left at its defaults, then with every query parameter filled (enumerations: each value).

    Raises ``UnfillableParameter`` when a parameter has no source.
    """
    doc = document or load_openapi()
    path_sources: dict[str, list[str]] = {}
    query_sources: dict[str, list[str]] = {}
    for p in op.parameters:
        name, where = p["name"], p["in"]
        enum = _enum_of(p, doc) if where == "query" else []
        source = values.get(name) or FIXED_QUERY.get(name) or enum if where in ("path", "query") else []
        if source:
            (path_sources if where == "path" else query_sources)[name] = list(source)
        elif where != "path" and name in LEFT_AT_DEFAULT:
            continue
        else:
            raise UnfillableParameter(
                f"{op}: no value for the {where} parameter {name!r}: add it to PrivateMonth.values "
                f"or LEFT_AT_DEFAULT (tests/e2e/openapi_operations.py)"
            )
    names = list(path_sources)
    seen: set[str] = set()
    for combo in itertools.product(*(path_sources[n] for n in names)):
        path = op.path
        for name, value in zip(names, combo, strict=True):
            path = path.replace("{" + name + "}", value)
        required = {
            p["name"]: query_sources[p["name"]][0]
            for p in op.parameters
            if p["in"] == "query" and p.get("required") and p["name"] in query_sources
        }
        variants = [required]
        limit = {"limit": "100"} if any(p["name"] == "limit" for p in op.parameters) else {}
        # Each query parameter runs through its values while the others keep their first.
        for varied, options in query_sources.items():
            for option in options:
                variants.append({**{n: v[0] for n, v in query_sources.items()}, **limit, varied: option})
        for params in variants:
            call = Call(op, path, params)
            if str(call) not in seen:
                seen.add(str(call))
                yield call
