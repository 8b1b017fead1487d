"""Keeps the account and budget read models in step with the wallet's events."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.wallet import AccountState, BudgetUpdated
from trickle_settlement.accounts_projection.models import AccountProfile, PatronBudget

DEFAULT_COMMISSION_BPS = 1000


async def apply_account_state(session: AsyncSession, event: AccountState) -> None:
    """Upsert an account's commission terms (events of one account arrive in order: keyed by account)."""
    values = {
        "account_id": event.account_id,
        "currency": event.currency,
        "non_profit": event.non_profit,
        "commission_bps": event.commission_bps,
    }
    stmt = insert(AccountProfile).values(values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[AccountProfile.account_id],
            set_={**{k: stmt.excluded[k] for k in values if k != "account_id"}, "updated_at": func.now()},
        )
    )


async def apply_budget(session: AsyncSession, event: BudgetUpdated) -> None:
    """Upsert a patron's budget unless a newer one (by the wallet's ``updated_at``) is already known."""
    values = {
        "account_id": event.account_id,
        "enabled": event.enabled,
        "amount": event.amount.amount,
        "currency": event.amount.currency,
        "min_per_click": event.min_per_click.amount if event.min_per_click else None,
        "max_per_month": event.max_per_month.amount if event.max_per_month else None,
        "updated_at": event.updated_at,
    }
    stmt = insert(PatronBudget).values(values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[PatronBudget.account_id],
            set_={k: stmt.excluded[k] for k in values if k != "account_id"},
            where=PatronBudget.updated_at <= stmt.excluded.updated_at,
        )
    )


async def commission_bps_of(session: AsyncSession, account_id: str) -> int:
    """The commission rate (basis points) an account pays on what it receives: 0 for non-profits."""
    row = (
        await session.execute(
            select(AccountProfile.non_profit, AccountProfile.commission_bps).where(
                AccountProfile.account_id == account_id
            )
        )
    ).one_or_none()
    if row is None:
        return DEFAULT_COMMISSION_BPS
    non_profit, bps = row
    return 0 if non_profit else int(bps)


async def budget_of(session: AsyncSession, account_id: str) -> PatronBudget | None:
    """The patron's budget as last announced, or None when they never set one."""
    return (
        await session.execute(select(PatronBudget).where(PatronBudget.account_id == account_id))
    ).scalar_one_or_none()
