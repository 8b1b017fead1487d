"""Queries on API keys and signing keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_wallet.credentials.models import ApiKey, SigningKey


async def get_api_key(session: AsyncSession, key_id: str, *, for_update: bool = False) -> ApiKey | None:
    stmt = select(ApiKey).where(ApiKey.id == key_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


def api_keys_of(account_id: str) -> Select[Any]:
    return select(ApiKey).where(ApiKey.account_id == account_id)


async def lock_signing_keys(session: AsyncSession) -> None:
    """Serialises creation and rotation of signing keys across API replicas (until the transaction ends)."""
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('trickle_wallet.signing_keys'))"))


async def active_signing_key(session: AsyncSession) -> SigningKey | None:
    stmt = select(SigningKey).where(SigningKey.retired_at.is_(None))
    return (await session.execute(stmt)).scalar_one_or_none()


async def published_signing_keys(session: AsyncSession, retired_since: datetime) -> list[SigningKey]:
    """The active key and those retired after ``retired_since``, newest first."""
    stmt = (
        select(SigningKey)
        .where(or_(SigningKey.retired_at.is_(None), SigningKey.retired_at > retired_since))
        .order_by(SigningKey.created_at.desc(), SigningKey.kid.desc())
    )
    return list((await session.execute(stmt)).scalars().all())
