"""Wallet tests run against a fresh, migrated database of their own on the real PostgreSQL.

Fixtures only; every helper tests share is in ``support/``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import create_engine, func, select, text

from trickle_kit.tables import OutboxRecord
from trickle_kit.testing import PG_ADMIN, fresh_database, unique_prefix, worker_suffix
from trickle_kit.testing_auth import TokenFactory
from trickle_wallet.providers.sandbox import SandboxProvider, asgi_deliver

from .support.money import Workers, running_workers

SERVICE_DIR = Path(__file__).resolve().parents[1]
OPERATOR_SECRET = "test-operator-secret"


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    # The pid keeps two engineers' (or CI's) concurrent runs from dropping each other's database.
    name = f"test_wallet_{worker_suffix()}_{os.getpid()}"
    yield fresh_database(name, SERVICE_DIR)
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def topic_prefix() -> str:
    return unique_prefix("wallet")


@pytest.fixture
def settings(database_url: str, topic_prefix: str):  # type: ignore[no-untyped-def]
    from trickle_wallet.settings import Settings

    # Rate limits are off here; tests of the limits build an app with them on.
    return Settings(
        database_url=database_url,
        topic_prefix=topic_prefix,
        log_json=False,
        db_pool_size=5,
        rate_limit_enabled=False,
        operator_client_secret=OPERATOR_SECRET,
    )


@pytest.fixture
async def app(settings) -> AsyncIterator[FastAPI]:  # type: ignore[no-untyped-def]
    from trickle_wallet.app import build_app

    app = build_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app; tokens are verified against the wallet's own signing keys."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://wallet.test") as c:
        yield c


@pytest.fixture
def tokens(app: FastAPI) -> TokenFactory:
    """Mints test tokens with a throw-away key the app trusts (instead of the wallet's own keys)."""
    tf = TokenFactory(issuer=app.state.settings.token_issuer, audience=app.state.settings.token_audience)
    app.state.verifier = tf.verifier()
    return tf


Register = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def register(client: httpx.AsyncClient) -> Register:
    """Registers an account through the API; returns the response body (account + first API key)."""
    counter = iter(range(1_000_000))

    async def _register(**fields: Any) -> dict[str, Any]:
        body = {"display_name": "Ada", "email": f"ada-{os.urandom(6).hex()}-{next(counter)}@example.org", **fields}
        r = await client.post("/v1/accounts", json=body)
        assert r.status_code == 201, r.text
        result: dict[str, Any] = r.json()
        return result

    return _register


OutboxCount = Callable[..., Awaitable[int]]


@pytest.fixture
def outbox_count(app: FastAPI) -> OutboxCount:
    """How many outbox rows of ``event_type`` (optionally about ``subject``/``key``) were committed."""

    async def _count(event_type: str, *, subject: str | None = None, key: str | None = None) -> int:
        stmt = select(func.count()).select_from(OutboxRecord).where(OutboxRecord.event_type == event_type)
        if subject is not None:
            stmt = stmt.where(OutboxRecord.subject == subject)
        if key is not None:
            stmt = stmt.where(OutboxRecord.key == key)
        async with app.state.sessions() as session:
            return int((await session.execute(stmt)).scalar_one())

    return _count


IssueToken = Callable[..., Awaitable[httpx.Response]]


@pytest.fixture
def issue_token(client: httpx.AsyncClient) -> IssueToken:
    """POSTs the client-credentials form to the token endpoint."""

    async def _issue(client_id: str, client_secret: str, scope: str | None = None) -> httpx.Response:
        form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret}
        if scope is not None:
            form["scope"] = scope
        return await client.post("/v1/oauth/token", data=form)

    return _issue


@pytest.fixture
def login(issue_token: IssueToken) -> Callable[..., Awaitable[dict[str, str]]]:
    """Bearer headers for a registered account (from its first key) or the operator (no argument)."""

    async def _login(registered: dict[str, Any] | None = None, scope: str | None = None) -> dict[str, str]:
        if registered is None:
            r = await issue_token("operator", OPERATOR_SECRET, scope)
        else:
            r = await issue_token(registered["api_key"]["id"], registered["api_key"]["secret"], scope)
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    return _login


os.environ.setdefault("TRICKLE_LOG_JSON", "false")


# The money flows (deposits, transfers, payouts, balances, providers): see support/money.py.


@pytest.fixture(scope="module")
async def workers(database_url: str, topic_prefix: str) -> AsyncIterator[Workers]:
    """The wallet's worker tasks, running for the module."""
    async with running_workers(database_url, topic_prefix) as running:
        yield running


@pytest.fixture
async def sandbox(app: FastAPI) -> AsyncIterator[SandboxProvider]:
    """The app's payment provider: the sandbox, calling back straight into the app, at once."""
    settings = app.state.settings
    provider = SandboxProvider(
        secret=settings.sandbox_callback_secret, deliver=asgi_deliver(app), delay_s=0.0, retry_base_s=0.05
    )
    app.state.payment_provider = provider
    yield provider
    await provider.aclose()


@pytest.fixture
def live(workers: Workers, app: FastAPI) -> Workers:
    """The module's workers, delivering the payout callbacks of this test into its app."""
    workers.target.app = app
    return workers
