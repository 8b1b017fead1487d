"""The secrets of emailed links: random, stored as sha256 only, used once, expiring."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.envelope import utcnow
from trickle_kit.problems import ProblemError
from trickle_wallet.sign_in.models import SignInToken

Purpose = Literal["email_verification", "password_reset"]
_CODE_PREFIX: dict[Purpose, str] = {"email_verification": "verification_token", "password_reset": "reset_token"}
_WHAT: dict[Purpose, str] = {"email_verification": "verification link", "password_reset": "password reset link"}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_token(session: AsyncSession, account_id: str, purpose: Purpose, ttl_s: int) -> str:
    """A new token for ``purpose``; only its hash is stored, the token itself goes into the mail."""
    token = secrets.token_urlsafe(32)
    session.add(
        SignInToken(
            account_id=account_id,
            purpose=purpose,
            token_hash=token_hash(token),
            expires_at=utcnow() + timedelta(seconds=ttl_s),
        )
    )
    await session.flush()
    return token


async def issued_since(session: AsyncSession, account_id: str, purpose: Purpose, seconds: int) -> bool:
    """Whether a token of ``purpose`` was issued to the account in the last ``seconds``."""
    stmt = select(SignInToken.token_hash).where(
        SignInToken.account_id == account_id,
        SignInToken.purpose == purpose,
        SignInToken.created_at > utcnow() - timedelta(seconds=seconds),
    )
    return (await session.execute(stmt.limit(1))).first() is not None


async def redeem_token(session: AsyncSession, token: str, purpose: Purpose) -> SignInToken:
    """Use ``token`` once: 400 ``<kind>_token_invalid`` if unknown or already used, ``<kind>_token_expired`` if late."""
    row = (
        await session.execute(
            select(SignInToken)
            .where(SignInToken.token_hash == token_hash(token), SignInToken.purpose == purpose)
            .with_for_update()
        )
    ).scalar_one_or_none()
    code, what = _CODE_PREFIX[purpose], _WHAT[purpose]
    if row is None or row.used_at is not None:
        raise ProblemError(400, f"{code}_invalid", "Invalid link", f"This {what} is not valid (or was used already)")
    now = utcnow()
    if row.expires_at <= now:
        raise ProblemError(400, f"{code}_expired", "Expired link", f"This {what} has expired: ask for a new one")
    row.used_at = now
    await session.flush()
    return row


async def retire_tokens(session: AsyncSession, account_id: str, purpose: Purpose) -> None:
    """Every unused token of ``purpose`` for the account stops working (e.g. other reset links after a reset)."""
    await session.execute(
        update(SignInToken)
        .where(SignInToken.account_id == account_id, SignInToken.purpose == purpose, SignInToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
