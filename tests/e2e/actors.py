"""People and operators of an end-to-end test, each with a generated-client session through the gateway.

Only ``trickle_client`` (generated from the merged ``openapi.json``) talks to the platform here:
if an operation a test needs is missing from it, the OpenAPI document (or the service) lacks it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import httpx
from trickle_client import AuthenticatedClient, Client
from trickle_client.api.wallet import create_account, create_token
from trickle_client.models import AccountCreate, BodyCreateToken
from trickle_client.types import Response

TIMEOUT = httpx.Timeout(20.0)


def ok(response: Response[Any], *statuses: int) -> Any:
    """The parsed body of ``response`` when its status is one of ``statuses`` (default 200); else fail with the body."""
    expected = statuses or (HTTPStatus.OK,)
    if response.status_code not in expected:
        raise AssertionError(
            f"HTTP {int(response.status_code)} (expected {', '.join(str(int(s)) for s in expected)}): "
            f"{response.content[:800].decode('utf-8', 'replace')}"
        )
    return response.parsed


def key() -> str:
    """A fresh Idempotency-Key."""
    return str(uuid.uuid4())


@dataclass
class Actor:
    """An account (patron, creator or both) and an authenticated client holding all its scopes."""

    name: str
    account_id: str
    client: AuthenticatedClient

    def __repr__(self) -> str:
        return f"<{self.name} {self.account_id}>"


def anonymous(gateway_url: str) -> Client:
    return Client(base_url=gateway_url, timeout=TIMEOUT, raise_on_unexpected_status=False)


def token_for(gateway_url: str, client_id: str, client_secret: str, scope: str | None = None) -> str:
    body = BodyCreateToken(grant_type="client_credentials", client_id=client_id, client_secret=client_secret)
    if scope is not None:
        body.scope = scope
    with anonymous(gateway_url) as client:
        token = ok(create_token.sync_detailed(client=client, body=body))
    return str(token.access_token)


def register(gateway_url: str, name: str, *, kind: str = "person") -> Actor:
    """Self-registration (no token), then the first API key exchanged for a bearer token."""
    with anonymous(gateway_url) as client:
        registered = ok(
            create_account.sync_detailed(
                client=client,
                body=AccountCreate(display_name=name, email=f"{name.lower().replace(' ', '.')}@example.org", kind=kind),  # type: ignore[arg-type]
                idempotency_key=key(),
            ),
            HTTPStatus.CREATED,
        )
    secret = registered.api_key.secret
    assert secret, f"registration of {name} returned no API key secret"
    token = token_for(gateway_url, registered.api_key.id, secret)
    return Actor(name, registered.account.id, authenticated(gateway_url, token))


def authenticated(gateway_url: str, token: str) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=gateway_url, token=token, timeout=TIMEOUT, raise_on_unexpected_status=False)


def operator(gateway_url: str, secret: str) -> Actor:
    """The bootstrapped operator credential (client id ``operator``) for an ``operator`` token."""
    token = token_for(gateway_url, "operator", secret, scope="operator")
    return Actor("operator", "operator", authenticated(gateway_url, token))
