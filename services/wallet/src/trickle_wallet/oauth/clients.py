"""Client apps: registration (exact redirect URIs, allowed scopes, a hashed secret for confidential
clients), the built-in first-party ``trickle-web``, and the view of a client Authlib asks questions of."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from authlib.oauth2.rfc6749 import ClientMixin
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.auth import ACCOUNT_SCOPES, Principal
from trickle_kit.envelope import utcnow
from trickle_kit.errors import InvalidInput
from trickle_kit.ids import new_id
from trickle_kit.problems import ProblemError, not_found
from trickle_wallet.credentials.service import hash_secret
from trickle_wallet.oauth import repository
from trickle_wallet.oauth.models import OAuthClient, OAuthGrant

FIRST_PARTY_CLIENT_ID = "trickle-web"
FIRST_PARTY_NAME = "Trickle"
CLIENT_SECRET_PREFIX = "tkc_"
LOOPBACK_NAMES = frozenset({"localhost"})
# The methods a client may authenticate with at the token and revocation endpoints, by type.
AUTH_METHODS = {"public": ("none",), "confidential": ("client_secret_basic", "client_secret_post")}


@dataclass(frozen=True)
class AppClient(ClientMixin):  # type: ignore[misc]
    """A client as the authorization server sees it (a registered row or the built-in one)."""

    client_id: str
    name: str
    client_type: str
    redirect_uris: tuple[str, ...]
    scopes: tuple[str, ...]
    grant_types: tuple[str, ...]
    secret_hash: str | None = None
    account_id: str | None = None

    @property
    def first_party(self) -> bool:
        return self.client_id == FIRST_PARTY_CLIENT_ID

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        # OAuth 2.1: the request names its redirect_uri, always, and it must match one exactly.
        return None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """The client's scopes when none are asked; None (invalid_scope) when one asked is not the client's."""
        if not scope:
            return " ".join(self.scopes)
        asked = list(dict.fromkeys(scope.split()))
        if any(s not in self.scopes for s in asked):
            return None
        return " ".join(asked)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        if self.secret_hash is None:
            return False
        return hmac.compare_digest(hash_secret(client_secret), self.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in AUTH_METHODS[self.client_type]

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and "authorization_code" in self.grant_types

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types


# Signing in happens at POST /v1/sessions (a grant made there), so trickle-web needs no code flow.
FIRST_PARTY = AppClient(
    client_id=FIRST_PARTY_CLIENT_ID,
    name=FIRST_PARTY_NAME,
    client_type="public",
    redirect_uris=(),
    scopes=ACCOUNT_SCOPES,
    grant_types=("refresh_token",),
)


def app_client(row: OAuthClient) -> AppClient:
    return AppClient(
        client_id=row.id,
        name=row.name,
        client_type=row.client_type,
        redirect_uris=tuple(row.redirect_uris),
        scopes=tuple(row.scopes),
        grant_types=("authorization_code", "refresh_token"),
        secret_hash=row.secret_hash,
        account_id=row.account_id,
    )


def refuse_apps(principal: Principal, what: str) -> None:
    """Credentials are made by the person (their Trickle session or an API key) or an operator, never by an app
    acting for them: an app's API key or app would outlive the person revoking it."""
    if principal.client_id is not None and principal.client_id != FIRST_PARTY_CLIENT_ID:
        raise ProblemError(
            403, "first_party_session_required", "Forbidden", f"An app acting for a person cannot {what}"
        )


async def find_client(session: AsyncSession, client_id: str | None) -> AppClient | None:
    """The client named ``client_id`` (built-in or registered and not deleted), or None."""
    if not client_id or len(client_id) > 40:
        return None
    if client_id == FIRST_PARTY_CLIENT_ID:
        return FIRST_PARTY
    row = await repository.get_client(session, client_id)
    return app_client(row) if row is not None and row.deleted_at is None else None


def check_redirect_uri(uri: str, index: int) -> None:
    """Registrable: absolute https, or http to a loopback address (RFC 8252 native apps); no fragment, no wildcard."""
    name = f"redirect_uris.{index}"
    try:
        parts = urlsplit(uri)
        host = parts.hostname
    except ValueError as exc:
        raise InvalidInput("invalid_redirect_uri", f"Not a URL: {uri}", name) from exc
    if "*" in uri or parts.fragment or "#" in uri:
        raise InvalidInput("invalid_redirect_uri", "A redirect URI has no wildcard and no fragment", name)
    if not host:
        raise InvalidInput("invalid_redirect_uri", "A redirect URI is an absolute URL with a host", name)
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and _is_loopback(host):
        return
    raise InvalidInput("invalid_redirect_uri", "A redirect URI uses https (http only to a loopback address)", name)


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class NewClient:
    client: OAuthClient
    secret: str | None


async def register(
    session: AsyncSession,
    account_id: str,
    *,
    name: str,
    client_type: str,
    redirect_uris: Sequence[str],
    scopes: Sequence[str] | None,
) -> NewClient:
    """A new client app of ``account_id``; a confidential one gets a secret, returned here only."""
    for i, uri in enumerate(redirect_uris):
        check_redirect_uri(uri, i)
    secret = CLIENT_SECRET_PREFIX + secrets.token_urlsafe(32) if client_type == "confidential" else None
    row = OAuthClient(
        id=new_id("app"),
        account_id=account_id,
        name=name,
        client_type=client_type,
        secret_hash=hash_secret(secret) if secret else None,
        secret_hint=secret[-4:] if secret else None,
        redirect_uris=list(dict.fromkeys(redirect_uris)),
        scopes=list(dict.fromkeys(scopes if scopes else ACCOUNT_SCOPES)),
        created_at=utcnow(),
    )
    session.add(row)
    await session.flush()
    return NewClient(client=row, secret=secret)


async def delete(session: AsyncSession, account_id: str, client_id: str) -> OAuthClient:
    """Delete an app of ``account_id``: it gets no new tokens, and every grant to it ends."""
    row = await repository.get_client(session, client_id, for_update=True)
    if row is None or row.account_id != account_id or row.deleted_at is not None:
        raise not_found("Client", client_id)
    now = utcnow()
    row.deleted_at = now
    await session.execute(
        update(OAuthGrant)
        .where(OAuthGrant.client_id == client_id, OAuthGrant.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason="client_deleted")
    )
    return row


async def end_apps_of(session: AsyncSession, account_id: str) -> None:
    """An account's deletion: the apps it registered get no new tokens, and every grant to them ends (nobody
    answers for an app whose developer is gone)."""
    rows = (await session.execute(repository.clients_of(account_id).with_for_update())).scalars().all()
    for row in rows:
        await delete(session, account_id, row.id)
