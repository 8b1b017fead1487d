"""Grants: an account's authorization of a client, and the family of refresh tokens rotated under it.

Ending a grant ends every refresh token of its family at once (they are live only while their grant
is). Access tokens are self-contained JWTs every service verifies on its own: they run out within
``access_token_ttl_s`` and are not recalled.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.envelope import utcnow
from trickle_kit.ids import new_id
from trickle_kit.problems import not_found
from trickle_wallet.credentials.service import hash_secret
from trickle_wallet.oauth import repository
from trickle_wallet.oauth.clients import FIRST_PARTY_CLIENT_ID
from trickle_wallet.oauth.models import OAuthAuthorizationCode, OAuthGrant, OAuthRefreshToken
from trickle_wallet.settings import Settings

REFRESH_TOKEN_PREFIX = "tkr_"


def new_refresh_token() -> str:
    return REFRESH_TOKEN_PREFIX + secrets.token_urlsafe(32)


async def start(session: AsyncSession, *, account_id: str, client_id: str, scopes: Sequence[str]) -> OAuthGrant:
    now = utcnow()
    grant = OAuthGrant(
        id=new_id("grt"),
        account_id=account_id,
        client_id=client_id,
        scopes=list(scopes),
        created_at=now,
        last_used_at=now,
    )
    session.add(grant)
    await session.flush()
    return grant


async def keep_refresh_token(
    session: AsyncSession, settings: Settings, grant: OAuthGrant, token: str, scopes: Sequence[str]
) -> None:
    """Store a refresh token just issued under ``grant`` (only its hash)."""
    now = utcnow()
    grant.last_used_at = now
    session.add(
        OAuthRefreshToken(
            token_hash=hash_secret(token),
            grant_id=grant.id,
            client_id=grant.client_id,
            scopes=list(scopes),
            created_at=now,
            expires_at=now + timedelta(seconds=settings.oauth_refresh_token_ttl_s),
        )
    )
    await session.flush()


async def revoke(session: AsyncSession, grant_id: str, reason: str) -> None:
    """End a grant and so every refresh token of its family (a second revocation keeps the first reason)."""
    await session.execute(
        update(OAuthGrant)
        .where(OAuthGrant.id == grant_id, OAuthGrant.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )


async def revoke_all_for_account(session: AsyncSession, account_id: str, reason: str = "account_signed_out") -> int:
    """End every grant of the account (its sessions and its authorized apps); returns how many ended.

    For a password reset, a suspension and a deletion: no refresh token of the account works after it.
    """
    # Codes first: an exchange in flight holds its code, so this waits for it, and the grant it started is
    # among those ended next (the other order missed it: a live grant after a suspension).
    await _expire_codes(session, account_id)
    result = await session.execute(
        update(OAuthGrant)
        .where(OAuthGrant.account_id == account_id, OAuthGrant.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def _expire_codes(session: AsyncSession, account_id: str, client_id: str | None = None) -> None:
    """Codes approved but not exchanged yet would start new grants: they expire now."""
    now = utcnow()
    stmt = update(OAuthAuthorizationCode).where(
        OAuthAuthorizationCode.account_id == account_id,
        OAuthAuthorizationCode.used_at.is_(None),
        OAuthAuthorizationCode.expires_at > now,
    )
    if client_id is not None:
        stmt = stmt.where(OAuthAuthorizationCode.client_id == client_id)
    await session.execute(stmt.values(expires_at=now))


@dataclass(frozen=True)
class AuthorizedApp:
    """The live grants of one account to one third-party client, together."""

    client_id: str
    client_name: str
    scopes: list[str]
    authorized_at: datetime
    last_used_at: datetime


async def authorized_apps(session: AsyncSession, account_id: str) -> list[AuthorizedApp]:
    """The third-party apps the account authorized and has not revoked, by client id (sign-ins are not apps)."""
    rows = (await session.execute(repository.live_grants_of(account_id))).scalars().all()
    by_client: dict[str, list[OAuthGrant]] = {}
    for g in rows:
        if g.client_id != FIRST_PARTY_CLIENT_ID:
            by_client.setdefault(g.client_id, []).append(g)
    clients = await repository.clients_by_id(session, list(by_client))
    apps = []
    for client_id in sorted(by_client):
        grants = by_client[client_id]
        client = clients.get(client_id)
        apps.append(
            AuthorizedApp(
                client_id=client_id,
                client_name=client.name if client is not None else client_id,
                scopes=list(dict.fromkeys(s for g in grants for s in g.scopes)),
                authorized_at=min(g.created_at for g in grants),
                last_used_at=max(g.last_used_at for g in grants),
            )
        )
    return apps


async def revoke_app(session: AsyncSession, account_id: str, client_id: str) -> None:
    """End every grant of the account to ``client_id``; 404 when there is none."""
    await _expire_codes(session, account_id, client_id)  # first, as in revoke_all_for_account
    result = await session.execute(
        update(OAuthGrant)
        .where(
            OAuthGrant.account_id == account_id,
            OAuthGrant.client_id == client_id,
            OAuthGrant.client_id != FIRST_PARTY_CLIENT_ID,
            OAuthGrant.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow(), revoked_reason="revoked_by_holder")
    )
    if not getattr(result, "rowcount", 0):
        raise not_found("Authorized app", client_id)
