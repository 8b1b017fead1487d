"""Schemathesis against every operation of every service, with valid tokens: no 5xx, every answer as documented.

Each service runs in-process (ASGI) on a fresh migrated database of its own, trusting a throw-away
signing key (``TokenFactory``); each generated request carries either an operator token or an
account token (for the wallet, an account registered through its API). Requests are positive and
negative (schema-violating) data, 25 examples per operation, derandomized so a run is repeatable.

Checks: ``not_a_server_error``, ``status_code_conformance`` (the status is documented),
``content_type_conformance`` and ``response_schema_conformance`` (the body matches the documented
schema).

``KNOWN_FAILURES`` lists operations with a known bug, strictly: the test xfails only when the
failure still contains the recorded text, and fails once the operation passes (remove the entry).
"""

from __future__ import annotations

import importlib
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import create_engine, text

from trickle_kit.problems import install_problem_handlers, problem_responses
from trickle_kit.testing import PG_ADMIN, fresh_database, unique_prefix, worker_suffix
from trickle_kit.testing_auth import TokenFactory

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("wallet", "click_ledger", "settlement", "webhook")
PER_SERVICE_PATHS = {"/healthz", "/readyz"}
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
# More for a deeper local hunt: TRICKLE_FUZZ_EXAMPLES=200 pytest tests/platform/test_fuzz.py
MAX_EXAMPLES = int(os.environ.get("TRICKLE_FUZZ_EXAMPLES", "25"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Settings that keep the fuzzed services to themselves: no rate limits, no outbound calls to
# anything that could answer (the sandbox provider's callbacks go to a closed port).
SERVICE_SETTINGS: dict[str, dict[str, Any]] = {
    "wallet": {"provider_callback_base_url": "http://127.0.0.1:9", "operator_client_secret": "fuzz-operator"},
    "click_ledger": {},
    "settlement": {},
    "webhook": {"deliver": False},
}


@dataclass(frozen=True)
class KnownFailure:
    """A bug in a service that fuzzing finds; ``evidence`` must occur in the failure report."""

    evidence: str
    reason: str


# "<service>.<operationId>" -> the bug (reported to the service's owner; never fixed here).
KNOWN_FAILURES: dict[str, KnownFailure] = {}


def _operations() -> list[Any]:
    params = []
    for service in SERVICES:
        app_module = importlib.import_module(f"trickle_{service}.app")
        doc = app_module.build_app().openapi()
        for path, item in doc["paths"].items():
            if path in PER_SERVICE_PATHS:
                continue
            for method in HTTP_METHODS:
                if method in item:
                    op_id = item[method]["operationId"]
                    params.append(pytest.param(service, path, method.upper(), id=f"{service}.{op_id}"))
    return params


@dataclass
class Target:
    """One service under fuzzing: its loaded schema and the headers of each kind of caller."""

    schema: Any
    headers: dict[str, dict[str, str]]
    account_id: str


def _start(service: str, database: str) -> Target:
    settings_module = importlib.import_module(f"trickle_{service}.settings")
    app_module = importlib.import_module(f"trickle_{service}.app")
    url = fresh_database(database, ROOT / "services" / service)
    service_settings = settings_module.Settings(
        database_url=url,
        topic_prefix=unique_prefix(f"fuzz-{service}"),
        log_json=False,
        log_level="ERROR",
        db_pool_size=4,
        rate_limit_enabled=False,
        **SERVICE_SETTINGS[service],
    )
    app = app_module.build_app(service_settings)
    tokens = TokenFactory(issuer=service_settings.token_issuer, audience=service_settings.token_audience)
    app.state.verifier = tokens.verifier()
    # Loading through the app starts its lifespan (engine, hooks) on schemathesis' ASGI event loop.
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    account_id = f"acct_{uuid.uuid4().hex}"
    if service == "wallet":
        with asgi.get_client(app) as client:
            response = client.post(
                f"http://{asgi.HOST}/v1/accounts", json={"display_name": "Fuzz", "email": "fuzz@example.org"}
            )
            assert response.status_code == 201, response.text
            account_id = response.json()["account"]["id"]
    headers = {"operator": tokens.operator_headers(), "account": tokens.headers(account_id)}
    return Target(schema=schema, headers=headers, account_id=account_id)


@pytest.fixture(scope="module")
def target() -> Iterator[Callable[[str], Target]]:
    started: dict[str, Target] = {}
    databases = {s: f"fuzz_{s}_{worker_suffix()}_{os.getpid()}" for s in SERVICES}

    def get(service: str) -> Target:
        if service not in started:
            started[service] = _start(service, databases[service])
        return started[service]

    try:
        yield get
    finally:
        asgi.shutdown_lifespans()
        engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            for service in started:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{databases[service]}" WITH (FORCE)'))
        engine.dispose()


def fuzz_operation(operation: Any, path: str, headers: dict[str, dict[str, str]], account_id: str | None) -> None:
    """Run the checks on generated requests to ``operation``; raise (after shrinking) on the first failure."""
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    if account_id and "{account_id}" in path:  # the caller's own account exists: requests get past the 404
        strategies.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters={"account_id": account_id}))

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        print_blob=False,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
    )
    @given(case=st.one_of(strategies), caller=st.sampled_from(sorted(headers)))
    def fuzz(case: Any, caller: str) -> None:
        try:
            case.call_and_validate(headers=headers[caller], checks=CHECKS)
        except BaseException as exc:
            exc.add_note(f"as the {caller}: {case.as_curl_command(headers=headers[caller])}")
            raise

    fuzz()


@pytest.mark.parametrize(("service", "path", "method"), _operations())
def test_operation_survives_fuzzing(
    service: str, path: str, method: str, target: Callable[[str], Target], request: pytest.FixtureRequest
) -> None:
    fuzzed = target(service)
    key = request.node.callspec.id
    known = KNOWN_FAILURES.get(key)
    try:
        fuzz_operation(fuzzed.schema[path][method], path, fuzzed.headers, fuzzed.account_id)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        if known is not None and known.evidence in _describe(exc):
            pytest.xfail(f"known bug: {known.reason}")
        raise
    if known is not None:
        pytest.fail(f"{key} passes now: remove it from KNOWN_FAILURES ({known.reason})")


class Echo(BaseModel):
    model_config = ConfigDict(title="Echo", extra="forbid")

    n: int = Field(ge=0, le=1000)


def test_fuzzing_catches_server_errors_and_undocumented_answers() -> None:
    """The harness itself: a 500 and a body that contradicts its schema are both found."""

    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/v1/crash", response_model=Echo, responses=problem_responses(422))
    async def crash(body: Echo) -> Echo:
        if body.n % 7 == 3:
            raise RuntimeError("boom")
        return body

    @app.post("/v1/lie", response_model=Echo, responses=problem_responses(422))
    async def lie(body: Echo) -> JSONResponse:
        return JSONResponse({"n": str(body.n)})

    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    callers = {"anyone": {}}
    with pytest.raises(BaseException) as crashed:
        fuzz_operation(schema["/v1/crash"]["POST"], "/v1/crash", callers, None)
    # In-process the unhandled exception itself surfaces (over HTTP it would be the 500).
    assert "boom" in _describe(crashed.value)
    assert "curl -X POST" in _describe(crashed.value)
    with pytest.raises(BaseException) as lied:
        fuzz_operation(schema["/v1/lie"]["POST"], "/v1/lie", callers, None)
    assert "Response violates schema" in _describe(lied.value)


def _describe(exc: BaseException) -> str:
    parts = [str(exc), *getattr(exc, "__notes__", [])]
    if isinstance(exc, BaseExceptionGroup):
        parts += [_describe(inner) for inner in exc.exceptions]
    return "\n".join(parts)
