"""The accounts projection: commission terms and budgets, kept in step with the wallet's events.

This is the one door to them: the close, the money flows and escrow read budgets through
``budgets_of`` and commission rates through ``commission_rates`` / ``commission_rate``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.wallet import AccountState, BudgetUpdated
from trickle_settlement.commission import DEFAULT_COMMISSION_BPS, rate_of
from trickle_settlement.projections.models import AccountProfile, PatronBudget


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


def _ids(ids: Sequence[str]) -> Any:
    """``ids`` as one array parameter (one statement shape whatever their number: the close asks for thousands)."""
    return bindparam("ids", list(ids), type_=ARRAY(String))


async def commission_rates(session: AsyncSession, account_ids: Sequence[str]) -> dict[str, int]:
    """The commission rate (basis points) each account pays on what it receives (``commission.rate_of``);
    the default for an account the wallet never announced."""
    if not account_ids:
        return {}
    rows = await session.execute(
        select(AccountProfile.account_id, AccountProfile.non_profit, AccountProfile.commission_bps).where(
            AccountProfile.account_id == any_(_ids(account_ids))
        )
    )
    rates = dict.fromkeys(account_ids, DEFAULT_COMMISSION_BPS)
    for account_id, non_profit, bps in rows.tuples():
        rates[account_id] = rate_of(non_profit, bps)
    return rates


async def commission_rate(session: AsyncSession, account_id: str) -> int:
    """The commission rate of one account (see ``commission_rates``)."""
    return (await commission_rates(session, [account_id]))[account_id]


@dataclass(frozen=True, slots=True)
class Budgeted:
    """A patron's budget as last announced (``patron_budgets``), amounts in minor units."""

    account_id: str
    enabled: bool
    amount: int
    currency: str
    min_per_click: int | None
    max_per_month: int | None


async def budgets_of(session: AsyncSession, patron_ids: Sequence[str]) -> dict[str, Budgeted]:
    """The budgets of ``patron_ids`` that were ever set, by patron."""
    if not patron_ids:
        return {}
    rows = await session.execute(
        select(
            PatronBudget.account_id,
            PatronBudget.enabled,
            PatronBudget.amount,
            PatronBudget.currency,
            PatronBudget.min_per_click,
            PatronBudget.max_per_month,
        ).where(PatronBudget.account_id == any_(_ids(patron_ids)))
    )
    return {row[0]: Budgeted(*row) for row in rows.tuples()}
