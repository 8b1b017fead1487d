"""One OpenAPI 3.1 document for the whole platform, as seen through the gateway (``make openapi``).

Reads each service's own document (``build_app().openapi()``, no server needed) and merges them:

- only ``/v1`` paths, and only those the gateway's route table sends to the service that
  documents them (``gateway_routes``); ``/healthz`` and ``/readyz`` stay per-service;
- each operation tagged with its service; operationIds must be unique and snake_case;
- schemas merged by name: identical ones become one, different ones with one name are an error
  unless ``RENAMES`` gives one of them a new name (a deliberate, reviewed choice);
- one OAuth2 client-credentials scheme with the union of the services' scopes;
- the gateway as the only server.

Anything that would make clients wrong or unstable fails with every offender listed; nothing is
invented (missing request examples are only reported).

    python tools/openapi/openapi_merge.py [--output openapi.json] [--check]
"""

from __future__ import annotations

import argparse
import copy
import importlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gateway_routes
import openapi_rules

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "openapi.json"
SERVER = "http://127.0.0.1:8080"
TOKEN_URL = "/v1/oauth/token"
# The web front end's consent page (trickle_kit.auth.AUTHORIZATION_URL), for apps acting for a person.
AUTHORIZATION_URL = "/oauth/authorize"
SCHEME = "OAuth2"
PER_SERVICE_PATHS = frozenset({"/healthz", "/readyz"})
# Paths a standard puts at the site's root (RFC 8414 authorization server metadata), routed by the gateway.
ROOT_PATHS = frozenset({"/.well-known/oauth-authorization-server"})
SCHEMA_REF = "#/components/schemas/"

Document = dict[str, Any]


@dataclass(frozen=True)
class Service:
    name: str  # as in the gateway's upstream trickle_<name>
    package: str
    tag: str
    description: str


SERVICES = (
    Service(
        "wallet",
        "trickle_wallet",
        "wallet",
        "Accounts, API keys and tokens, deposits, budgets, tips, payouts and balances.",
    ),
    Service(
        "click_ledger",
        "trickle_click_ledger",
        "click-ledger",
        "Things, clicks, claims, subscriptions, the period calendar and widgets.",
    ),
    Service(
        "settlement",
        "trickle_settlement",
        "settlement",
        "The ledger: statements, entries, trial balance and the monthly close.",
    ),
    Service(
        "webhook",
        "trickle_webhook",
        "webhook",
        "Webhook endpoints, signed deliveries, attempts and replay.",
    ),
)

# (service, schema name) -> the name it gets in the merged document. Only for two services'
# *different* schemas that share a name; identical ones merge on their own.
RENAMES: dict[tuple[str, str], str] = {}

# (service, path) -> why the gateway does not route it there. Such operations are left out of
# the platform document; one that the gateway does route is an error (the entry is stale).
KNOWN_UNROUTED: dict[tuple[str, str], str] = {}

INFO = {
    "title": "Trickle",
    "version": "1.0.0",
    "summary": "Micro-donations: fund a wallet, click what you like, creators are paid monthly.",
    "description": (
        "The whole Trickle platform as seen through its gateway. Authenticate with OAuth2 client "
        "credentials: exchange an API key (client_id and client_secret) at `POST /v1/oauth/token` "
        "for a short-lived bearer token. Errors are `application/problem+json` with a stable "
        "`code`; lists use cursor pagination (`limit`, `starting_after`, `has_more`); creating "
        "POSTs accept an `Idempotency-Key` header."
    ),
}


class MergeError(Exception):
    """The services' documents cannot be merged into a good platform document."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("OpenAPI merge failed:\n  " + "\n  ".join(problems))


def service_document(service: Service) -> Document:
    """The service's own OpenAPI document, built from its app (no server, no database)."""
    module = importlib.import_module(f"{service.package}.app")
    app = module.build_app()
    return copy.deepcopy(app.openapi())


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(SCHEMA_REF):
                name = value.removeprefix(SCHEMA_REF)
                value = SCHEMA_REF + renames.get(name, name)
            out[key] = _rename_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rename_refs(item, renames) for item in node]
    return node


def _normalized(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def merge(
    documents: dict[str, Document],
    routes: list[gateway_routes.Location],
    *,
    renames: dict[tuple[str, str], str] | None = None,
    known_unrouted: dict[tuple[str, str], str] | None = None,
) -> Document:
    """The platform document from ``{service name: its document}``; raises MergeError listing every problem."""
    problems: list[str] = []
    paths: dict[str, dict[str, Any]] = {}
    owners: dict[tuple[str, str], str] = {}  # (normalized path, method) -> service
    schemas: dict[str, dict[str, Any]] = {}
    schema_owner: dict[str, str] = {}
    scopes: dict[str, str] = {}
    used_unrouted: set[tuple[str, str]] = set()
    by_name = {s.name: s for s in SERVICES}
    renames_by_service = RENAMES if renames is None else renames
    unrouted = KNOWN_UNROUTED if known_unrouted is None else known_unrouted

    for name, raw in documents.items():
        service = by_name[name]
        own_renames = {old: new for (svc, old), new in renames_by_service.items() if svc == name}
        doc = _rename_refs(raw, own_renames)
        own_schemas = {own_renames.get(k, k): v for k, v in doc.get("components", {}).get("schemas", {}).items()}

        for path, item in doc.get("paths", {}).items():
            if path in PER_SERVICE_PATHS:
                continue
            if not path.startswith("/v1/") and path not in ROOT_PATHS:
                problems.append(f"{name}: {path} is outside /v1")
                continue
            routed_to = gateway_routes.service_for(routes, path)
            if routed_to != name:
                if (name, path) in unrouted:
                    used_unrouted.add((name, path))
                    continue
                problems.append(
                    f"{name}: {path} is routed by the gateway to {routed_to or 'nothing'} "
                    "(fix deploy/gateway/routes.conf or the path)"
                )
                continue
            for method in openapi_rules.HTTP_METHODS:
                if method not in item:
                    continue
                key = (_normalized(path), method)
                if key in owners:
                    problems.append(f"{method.upper()} {path}: documented by both {owners[key]} and {name}")
                    continue
                owners[key] = name
                operation = dict(item[method])
                operation["tags"] = [service.tag]
                paths.setdefault(path, {})[method] = operation
            for key, value in item.items():  # path-level parameters, summary...
                if key not in openapi_rules.HTTP_METHODS:
                    paths.setdefault(path, {})[key] = value

        for schema_name, schema in own_schemas.items():
            if openapi_rules.TWIN_NAME.match(schema_name):
                problems.append(
                    f"{name}: schema {schema_name} is an -Input/-Output twin (separate_input_output_schemas)"
                )
            if schema_name in schemas and _canonical(schemas[schema_name]) != _canonical(schema):
                problems.append(
                    f"schema {schema_name}: {schema_owner[schema_name]} and {name} define it differently "
                    "(rename one at the source, or add it to RENAMES in tools/openapi/openapi_merge.py)"
                )
                continue
            schemas.setdefault(schema_name, schema)
            schema_owner.setdefault(schema_name, name)

        for scheme_name, scheme in doc.get("components", {}).get("securitySchemes", {}).items():
            flow = scheme.get("flows", {}).get("clientCredentials")
            if scheme_name != SCHEME or scheme.get("type") != "oauth2" or not flow:
                problems.append(
                    f"{name}: security scheme {scheme_name} is not the shared OAuth2 client-credentials one"
                )
                continue
            if flow.get("tokenUrl") != TOKEN_URL:
                problems.append(f"{name}: OAuth2 tokenUrl is {flow.get('tokenUrl')!r}, not {TOKEN_URL}")
            for scope, text in flow.get("scopes", {}).items():
                if scopes.setdefault(scope, text) != text:
                    problems.append(f"{name}: scope {scope} is described differently than in another service")

    for stale in sorted(set(unrouted) - used_unrouted):
        problems.append(f"KNOWN_UNROUTED{stale}: the gateway routes it now (or it is gone); remove the entry")

    schemas = _reachable(paths, schemas)
    merged: Document = {
        "openapi": "3.1.0",
        "info": INFO,
        "servers": [{"url": SERVER, "description": "The gateway of `make run`"}],
        "tags": [{"name": s.tag, "description": s.description} for s in SERVICES],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {
                SCHEME: {
                    "type": "oauth2",
                    "description": (
                        "OAuth2 client credentials: exchange an API key at the wallet's token endpoint "
                        "for a short-lived bearer token. Apps acting for a person: the authorization code "
                        "flow with PKCE S256 (refresh tokens rotate on every use)."
                    ),
                    "flows": {
                        "clientCredentials": {"tokenUrl": TOKEN_URL, "scopes": scopes},
                        "authorizationCode": {
                            "authorizationUrl": AUTHORIZATION_URL,
                            "tokenUrl": TOKEN_URL,
                            "refreshUrl": TOKEN_URL,
                            "scopes": scopes,
                        },
                    },
                }
            },
        },
    }
    ids = openapi_rules.operation_id_offenders(merged)
    problems += [p for p in ids if "is also used by" in p]
    if problems:
        raise MergeError(problems)
    return merged


def _reachable(paths: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """Only the schemas the kept operations use (directly or through other schemas)."""
    seen: set[str] = set()
    pending = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(paths)))
    while pending:
        name = pending.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        pending |= set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(schemas[name])))
    return {name: schemas[name] for name in schemas if name in seen}


def build() -> Document:
    documents = {service.name: service_document(service) for service in SERVICES}
    return merge(documents, gateway_routes.load_routes())


def render(doc: Document) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="fail if --output differs from a fresh merge")
    args = parser.parse_args(argv)
    try:
        doc = build()
    except MergeError as exc:
        print(exc, file=sys.stderr)
        return 1
    text = render(doc)
    for rule, offenders in {**openapi_rules.all_offenders(doc)}.items():
        for offender in offenders:
            print(f"warning [{rule}] {offender}", file=sys.stderr)
    for offender in openapi_rules.missing_example_offenders(doc):
        print(f"note [missing_examples] {offender}", file=sys.stderr)
    if args.check:
        current = args.output.read_text() if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale: run make openapi", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text)
    print(f"wrote {args.output} ({len(doc['paths'])} paths, {len(doc['components']['schemas'])} schemas)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
