"""Who owns what a URL names: the most specific verified claim covering it (one room for the rule).

A claim covers a thing when the domains are equal and the claim's path prefix is empty (a
whole domain) or names whole leading segments of the thing's path (``/alice`` covers
``/alice`` and ``/alice/repo``, not ``/alice2``). Claims of different accounts never overlap
(claims/service.py refuses them), so "most specific" only chooses among one account's claims.

Creating a thing and completing a claim serialise on an advisory lock per domain: creators
take it shared, a completing claim exclusively, so a thing created while a claim completes is
either seen by the claim's move or sees the verified claim.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, literal, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

from trickle_click_ledger.models import Claim, Thing

SqlText = ColumnElement[str] | InstrumentedAttribute[str]


@dataclass(frozen=True)
class Covering:
    """The verified claim that decides a URL's owner."""

    claim_id: str
    account_id: str


async def lock_domain(session: AsyncSession, domain: str, *, exclusive: bool) -> None:
    fn = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    await session.execute(text(f"SELECT {fn}(hashtextextended('claim-domain:' || :d, 0))"), {"d": domain})


def prefix_covers_path(prefix: SqlText, path: SqlText) -> ColumnElement[bool]:
    """SQL: a claim's ``path_prefix`` covers ``path`` (whole segments)."""
    return or_(prefix == "", path == prefix, func.starts_with(path, prefix + "/"))


async def covering_claim(session: AsyncSession, domain: str, path: str) -> Covering | None:
    """The most specific verified claim covering (domain, path), or None."""
    stmt = (
        select(Claim.id, Claim.account_id)
        .where(
            Claim.domain == domain,
            Claim.status == "verified",
            prefix_covers_path(Claim.path_prefix, literal(path)),
        )
        .order_by(func.length(Claim.path_prefix).desc())
        .limit(1)
    )
    row = (await session.execute(stmt)).one_or_none()
    return Covering(claim_id=row.id, account_id=row.account_id) if row is not None else None


def things_under(domain: str, prefix: str) -> ColumnElement[bool]:
    """SQL: the things a claim on (domain, prefix) covers."""
    return (Thing.domain == domain) & prefix_covers_path(literal(prefix), Thing.path)
