"""Failed sign-ins counted per email and per client address in PostgreSQL, so every API replica agrees.

A key (``email:<sha256 of the address>``, ``address:<client address, or its IPv6 /64>``) counts its failures
within a window; the failure that reaches the limit locks the key out for ``sign_in_lockout_s`` and starts the
count again.
Emails nobody registered are counted like the others: a lock-out must not tell which addresses exist.
"""

from __future__ import annotations

import ipaddress
import math
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_wallet.settings import Settings
from trickle_wallet.sign_in.emails import email_digest
from trickle_wallet.sign_in.models import SignInAttempt

PRUNE_BATCH = 100


def email_attempt_key(email: str) -> str:
    return f"email:{email_digest(email)}"


IPV6_SUBSCRIBER_PREFIX = 64


def address_attempt_key(client_address: str) -> str:
    """An IPv6 client counts by its /64 (a host may take any address of it), an IPv4-mapped one as the IPv4
    address; anything else as given."""
    try:
        ip = ipaddress.ip_address(client_address)
    except ValueError:
        return f"address:{client_address[:150]}"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"address:{ip.ipv4_mapped}"
        return f"address:{ipaddress.IPv6Network((ip, IPV6_SUBSCRIBER_PREFIX), strict=False)}"
    return f"address:{ip}"


def limits_of(settings: Settings, email: str, client_address: str) -> dict[str, int]:
    """Each key an attempt counts against, with its limit of failures per window."""
    return {
        email_attempt_key(email): settings.sign_in_max_failures_per_email,
        address_attempt_key(client_address): settings.sign_in_max_failures_per_address,
    }


async def locked_for_s(session: AsyncSession, keys: list[str], now: datetime) -> int | None:
    """Whole seconds until the last of ``keys``' lock-outs ends; ``None`` when none is locked."""
    until = (
        await session.execute(
            select(func.max(SignInAttempt.locked_until)).where(
                SignInAttempt.key.in_(keys), SignInAttempt.locked_until > now
            )
        )
    ).scalar_one()
    return None if until is None else max(1, math.ceil((until - now).total_seconds()))


async def record_failure(
    session: AsyncSession, settings: Settings, limits: dict[str, int], now: datetime
) -> int | None:
    """Count one failure against every key (in the caller's session: see ``authenticate`` for whose transaction).

    With every key's row locked first: when one is locked out already (other attempts of a burst failed while
    this one's password was checked), nothing is counted and the seconds until it ends are returned, so the
    attempt is answered like one made during the lock-out."""
    window = timedelta(seconds=settings.sign_in_failure_window_s)
    rows: list[tuple[SignInAttempt, int]] = []
    for key, limit in sorted(limits.items()):  # one order for every replica: no deadlock between two of them
        await session.execute(
            insert(SignInAttempt).values(key=key, failures=0, window_started_at=now).on_conflict_do_nothing()
        )
        row = (
            await session.execute(select(SignInAttempt).where(SignInAttempt.key == key).with_for_update())
        ).scalar_one()
        rows.append((row, limit))
    locked = [r.locked_until for r, _ in rows if r.locked_until is not None and r.locked_until > now]
    if locked:
        return max(1, math.ceil((max(locked) - now).total_seconds()))
    for row, limit in rows:
        if row.window_started_at <= now - window:
            row.failures, row.window_started_at = 0, now
        row.failures += 1
        if row.failures >= limit:
            row.locked_until = now + timedelta(seconds=settings.sign_in_lockout_s)
            row.failures, row.window_started_at = 0, now
    # Counters whose window and lock-out are over say nothing any more: a few go with each failure.
    stale = (
        select(SignInAttempt.key)
        .where(
            SignInAttempt.window_started_at <= now - window,
            or_(SignInAttempt.locked_until.is_(None), SignInAttempt.locked_until <= now),
        )
        .limit(PRUNE_BATCH)
        .scalar_subquery()
    )
    await session.execute(delete(SignInAttempt).where(SignInAttempt.key.in_(stale)))
    await session.flush()
    return None


async def forget(session: AsyncSession, key: str) -> None:
    """Drop a key's count (a good sign-in clears its email's; an address's stays)."""
    await session.execute(delete(SignInAttempt).where(SignInAttempt.key == key))
