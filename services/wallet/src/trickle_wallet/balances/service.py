"""The balance read model: ``balance_after`` per account and ledger account kind, newest entry wins."""

from __future__ import annotations

from sqlalchemy import and_, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.ledger import EntryPosted
from trickle_events.ledger_accounts import HOLDER_KINDS, LedgerAccountKind
from trickle_kit.envelope import utcnow
from trickle_kit.money import Money
from trickle_wallet.balances.models import BalanceLine
from trickle_wallet.balances.schemas import BalancesOut

# Ledger account kinds that belong to an account, and which balance each feeds.
KIND_TO_BALANCE: dict[LedgerAccountKind, str] = {
    LedgerAccountKind.PATRON_WALLET: "wallet",
    LedgerAccountKind.CREATOR_EARNINGS: "earnings",
    LedgerAccountKind.PAYOUTS_IN_TRANSIT: "reserved",
}
assert set(KIND_TO_BALANCE) == set(HOLDER_KINDS), "every kind an account holds feeds one balance"


async def apply_entry(session: AsyncSession, entry: EntryPosted) -> int:
    """Store the balances after ``entry`` unless a newer entry was already applied to that line; returns rows changed.

    Newer means a higher ``sequence`` when both entries carry one, else a later (posted_at, entry_id).
    """
    latest: dict[tuple[str, str, str], int] = {}
    for posting in entry.postings:  # the last posting of a line in the entry has its final balance
        if posting.owner_id and posting.kind in KIND_TO_BALANCE:
            latest[(posting.owner_id, posting.kind, posting.currency)] = posting.balance_after
    changed = 0
    now = utcnow()
    for (account_id, kind, currency), balance in latest.items():
        stmt = insert(BalanceLine).values(
            account_id=account_id,
            kind=kind,
            currency=currency,
            balance=balance,
            entry_id=entry.entry_id,
            sequence=entry.sequence,
            posted_at=entry.posted_at,
            updated_at=now,
        )
        current = BalanceLine.__table__.c
        newer = or_(
            and_(
                stmt.excluded.sequence.is_not(None),
                current.sequence.is_not(None),
                stmt.excluded.sequence > current.sequence,
            ),
            and_(
                or_(stmt.excluded.sequence.is_(None), current.sequence.is_(None)),
                tuple_(stmt.excluded.posted_at, stmt.excluded.entry_id) > tuple_(current.posted_at, current.entry_id),
            ),
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[current.account_id, current.kind, current.currency],
            set_={
                "balance": stmt.excluded.balance,
                "entry_id": stmt.excluded.entry_id,
                "sequence": stmt.excluded.sequence,
                "posted_at": stmt.excluded.posted_at,
                "updated_at": stmt.excluded.updated_at,
            },
            where=newer,
        )
        result = await session.execute(stmt.returning(current.account_id))
        changed += len(result.all())
    return changed


async def balances_of(session: AsyncSession, account_id: str, currency: str) -> BalancesOut:
    """The account's balances in ``currency`` (zero where the ledger has reported nothing yet)."""
    lines = (
        (
            await session.execute(
                select(BalanceLine).where(BalanceLine.account_id == account_id, BalanceLine.currency == currency)
            )
        )
        .scalars()
        .all()
    )
    totals = {"wallet": 0, "earnings": 0, "reserved": 0}
    for line in lines:
        totals[KIND_TO_BALANCE[LedgerAccountKind(line.kind)]] += line.balance
    sequenced = all(line.sequence is not None for line in lines)
    newest = max(
        lines, key=lambda line: (line.sequence if sequenced else 0, line.posted_at, line.entry_id), default=None
    )
    return BalancesOut(
        account_id=account_id,
        wallet=Money(amount=totals["wallet"], currency=currency),
        earnings=Money(amount=totals["earnings"], currency=currency),
        reserved=Money(amount=totals["reserved"], currency=currency),
        as_of_entry_id=newest.entry_id if newest else None,
        updated_at=max((line.updated_at for line in lines), default=None),
    )
