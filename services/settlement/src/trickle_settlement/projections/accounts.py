"""The accounts projection: commission terms and budgets, kept in step with the wallet's events.

This is the one door to them: the money flows and escrow read commission rates as they are now
(``commission_rates`` / ``commission_rate``; budgets: ``budgets_of``). A close reads them as
they were when it started: ``freeze_for_close`` copies, in the transaction that starts it, the
budgets of the period's patrons and the commission terms of its recipients into period-scoped
tables, and every batch of every worker reads those (``frozen_budgets_of``,
``frozen_commission_rates``), so a change made during a close applies from the next period.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, any_, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.wallet import AccountState, BudgetUpdated
from trickle_settlement.commission import DEFAULT_COMMISSION_BPS, rate_of
from trickle_settlement.projections.models import (
    AccountProfile,
    FrozenBudget,
    FrozenCommissionTerms,
    PatronBudget,
)


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


def _wanted(ids: Sequence[str]) -> Any:
    """``ids`` as a table to join (``unnest``): read per close batch from tables that a close has just
    filled, whose statistics may not exist yet. ``= ANY(:ids)`` then planned a sequential scan that
    compared every row with every id (a parameter array is searched linearly): 0.3 s per batch for
    the commission terms at 10,000 recipients, against milliseconds for the join."""
    return func.unnest(_ids(ids)).table_valued("id").render_derived("wanted")


_WANTED_ID = text("wanted.id")


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
    return _rates(account_ids, rows.tuples())


def _rates(account_ids: Sequence[str], terms: Iterable[tuple[str, bool, int]]) -> dict[str, int]:
    """Each account's rate from its (account_id, non_profit, commission_bps) terms; the default without."""
    rates = dict.fromkeys(account_ids, DEFAULT_COMMISSION_BPS)
    for account_id, non_profit, bps in terms:
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


# One INSERT … SELECT each (100,000 patrons freeze in about a second: docs/benchmarks.md). The
# patrons and recipients are those of the period's live clicks, as the close walks them
# (``close.repository.next_patrons``); the clicks' owners are frozen by the same start.
_FREEZE_BUDGETS = text(
    "INSERT INTO close_budgets (period, account_id, enabled, amount, currency, min_per_click, max_per_month) "
    "SELECT CAST(:period AS varchar), b.account_id, b.enabled, b.amount, b.currency, b.min_per_click, b.max_per_month "
    "FROM patron_budgets b WHERE b.account_id IN "
    "(SELECT c.patron_id FROM close_clicks c WHERE c.period = :period AND c.revoked_at IS NULL) "
    "ON CONFLICT DO NOTHING"
)
_FREEZE_TERMS = text(
    "INSERT INTO close_commission_terms (period, account_id, non_profit, commission_bps) "
    "SELECT CAST(:period AS varchar), a.account_id, a.non_profit, a.commission_bps "
    "FROM account_profiles a WHERE a.account_id IN "
    "(SELECT c.owner_id FROM close_clicks c WHERE c.period = :period AND c.revoked_at IS NULL "
    "AND c.owner_id IS NOT NULL) "
    "ON CONFLICT DO NOTHING"
)


async def freeze_for_close(session: AsyncSession, period: str) -> tuple[int, int]:
    """Copy the budgets of ``period``'s patrons and the commission terms of its recipients as they are
    now into the period's snapshot; returns how many (budgets, terms) were copied.

    Called once per close, in the transaction that starts it (under the period's row lock): every
    worker and every resumed run then reads the same inputs. Copying again keeps the first copy.
    """
    budgets = await session.execute(_FREEZE_BUDGETS, {"period": period})
    terms = await session.execute(_FREEZE_TERMS, {"period": period})
    return budgets.rowcount, terms.rowcount  # type: ignore[attr-defined]


async def frozen_budgets_of(session: AsyncSession, period: str, patron_ids: Sequence[str]) -> dict[str, Budgeted]:
    """The budgets of ``patron_ids`` as they were when ``period``'s close started (those ever set), by patron."""
    if not patron_ids:
        return {}
    rows = await session.execute(
        select(
            FrozenBudget.account_id,
            FrozenBudget.enabled,
            FrozenBudget.amount,
            FrozenBudget.currency,
            FrozenBudget.min_per_click,
            FrozenBudget.max_per_month,
        )
        .join(_wanted(patron_ids), FrozenBudget.account_id == _WANTED_ID)
        .where(FrozenBudget.period == period)
    )
    return {row[0]: Budgeted(*row) for row in rows.tuples()}


async def frozen_commission_rates(session: AsyncSession, period: str, account_ids: Sequence[str]) -> dict[str, int]:
    """The commission rate (basis points) of each account as it was when ``period``'s close started;
    the default for an account the wallet had not announced by then."""
    if not account_ids:
        return {}
    rows = await session.execute(
        select(FrozenCommissionTerms.account_id, FrozenCommissionTerms.non_profit, FrozenCommissionTerms.commission_bps)
        .join(_wanted(account_ids), FrozenCommissionTerms.account_id == _WANTED_ID)
        .where(FrozenCommissionTerms.period == period)
    )
    return _rates(account_ids, rows.tuples())
