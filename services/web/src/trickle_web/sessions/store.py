"""Reading and writing sessions: the only module that queries ``web_sessions``."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_web.sessions.models import WebSession
from trickle_web.settings import Settings

# Expired rows removed by each new session (no sweeper process needed).
SWEEP_BATCH = 50


@dataclass(frozen=True)
class Tokens:
    """What the wallet's token endpoint answered, with the access token's expiry made absolute."""

    account_id: str
    access_token: str
    access_expires_at: datetime
    refresh_token: str


def now() -> datetime:
    return datetime.now(UTC)


def session_id(cookie_value: str) -> str:
    return hashlib.sha256(cookie_value.encode()).hexdigest()


async def find(db: AsyncSession, cookie_value: str, *, for_update: bool = False) -> WebSession | None:
    """The unexpired session the cookie names, or None."""
    query = select(WebSession).where(WebSession.id == session_id(cookie_value), WebSession.expires_at > now())
    if for_update:
        query = query.with_for_update()
    return (await db.execute(query)).scalar_one_or_none()


async def start(db: AsyncSession, settings: Settings, tokens: Tokens | None = None) -> tuple[str, WebSession]:
    """A new session (anonymous, or signed in with ``tokens``): (the cookie's value, the row)."""
    await sweep(db)
    cookie_value = secrets.token_urlsafe(32)
    lifetime = settings.anonymous_session_s if tokens is None else settings.session_idle_s
    row = WebSession(
        id=session_id(cookie_value),
        csrf_secret=secrets.token_urlsafe(32),
        created_at=now(),
        expires_at=now() + timedelta(seconds=lifetime),
    )
    if tokens is not None:
        store_tokens(row, tokens)
    db.add(row)
    await db.flush()
    return cookie_value, row


def store_tokens(row: WebSession, tokens: Tokens) -> None:
    row.account_id = tokens.account_id
    row.access_token = tokens.access_token
    row.access_expires_at = tokens.access_expires_at
    row.refresh_token = tokens.refresh_token


def touch(row: WebSession, settings: Settings) -> bool:
    """Move a signed-in session's idle expiry forward (at most once a minute); whether it changed."""
    if row.account_id is None:
        return False
    idle = now() + timedelta(seconds=settings.session_idle_s)
    wanted = min(idle, row.created_at + timedelta(seconds=settings.session_max_age_s))
    if wanted - row.expires_at < timedelta(minutes=1):
        return False
    row.expires_at = wanted
    return True


async def end(db: AsyncSession, row: WebSession) -> None:
    await db.execute(delete(WebSession).where(WebSession.id == row.id))


async def sweep(db: AsyncSession) -> None:
    expired = select(WebSession.id).where(WebSession.expires_at <= now()).limit(SWEEP_BATCH)
    await db.execute(delete(WebSession).where(WebSession.id.in_(expired.scalar_subquery())))
