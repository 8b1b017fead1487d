"""Queries on client apps, grants, authorization codes and refresh tokens."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_wallet.oauth.models import OAuthAuthorizationCode, OAuthClient, OAuthGrant, OAuthRefreshToken


async def get_client(session: AsyncSession, client_id: str, *, for_update: bool = False) -> OAuthClient | None:
    stmt = select(OAuthClient).where(OAuthClient.id == client_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


def clients_of(account_id: str) -> Select[Any]:
    return select(OAuthClient).where(OAuthClient.account_id == account_id, OAuthClient.deleted_at.is_(None))


async def get_grant(session: AsyncSession, grant_id: str, *, for_update: bool = False) -> OAuthGrant | None:
    stmt = select(OAuthGrant).where(OAuthGrant.id == grant_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def code_by_hash(session: AsyncSession, code_hash: str) -> OAuthAuthorizationCode | None:
    """The code, locked: two exchanges of one code queue here, and the second sees it used."""
    stmt = select(OAuthAuthorizationCode).where(OAuthAuthorizationCode.code_hash == code_hash).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def refresh_token_by_hash(session: AsyncSession, token_hash: str) -> OAuthRefreshToken | None:
    """The refresh token, locked: two uses of one token queue here, and the second sees it rotated."""
    stmt = select(OAuthRefreshToken).where(OAuthRefreshToken.token_hash == token_hash).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


def live_grants_of(account_id: str) -> Select[Any]:
    return (
        select(OAuthGrant)
        .where(OAuthGrant.account_id == account_id, OAuthGrant.revoked_at.is_(None))
        .order_by(OAuthGrant.created_at, OAuthGrant.id)
    )


async def clients_by_id(session: AsyncSession, client_ids: list[str]) -> dict[str, OAuthClient]:
    if not client_ids:
        return {}
    rows = (await session.execute(select(OAuthClient).where(OAuthClient.id.in_(client_ids)))).scalars().all()
    return {r.id: r for r in rows}
