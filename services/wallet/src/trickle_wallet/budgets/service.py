"""Budgets: validation against the deployment's bounds, storage, ``wallet.budget.updated``."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.wallet import BudgetUpdated
from trickle_kit.auth import Principal
from trickle_kit.envelope import utcnow
from trickle_kit.errors import InvalidInput
from trickle_kit.money import Money
from trickle_wallet.accounts.models import Account
from trickle_wallet.accounts.service import get_account_for
from trickle_wallet.budgets.models import Budget
from trickle_wallet.budgets.schemas import Budget as BudgetOut
from trickle_wallet.budgets.schemas import BudgetSet
from trickle_wallet.outbox import OUTBOX
from trickle_wallet.settings import Settings


def _money(amount: int | None, currency: str) -> Money | None:
    return None if amount is None else Money(amount=amount, currency=currency)


def render(account: Account, budget: Budget | None, settings: Settings) -> BudgetOut:
    currency = budget.currency if budget else account.currency
    return BudgetOut(
        account_id=account.id,
        enabled=budget.enabled if budget else False,
        amount=Money(amount=budget.amount if budget else 0, currency=currency),
        min_per_click=_money(budget.min_per_click if budget else None, currency),
        max_per_month=_money(budget.max_per_month if budget else None, currency),
        minimum_amount=Money(amount=settings.budget_min_amount, currency=account.currency),
        updated_at=budget.updated_at if budget else None,
    )


async def _budget(session: AsyncSession, account_id: str) -> Budget | None:
    return (await session.execute(select(Budget).where(Budget.account_id == account_id))).scalar_one_or_none()


async def get_budget(session: AsyncSession, settings: Settings, principal: Principal, account_id: str) -> BudgetOut:
    account = await get_account_for(session, principal, account_id)
    return render(account, await _budget(session, account_id), settings)


def _check(field: str, money: Money | None, currency: str, settings: Settings, *, low: int) -> int | None:
    if money is None:
        return None
    if money.currency != currency:
        raise InvalidInput("currency_mismatch", f"The account holds {currency}", f"{field}.currency")
    if money.amount < low:
        code = "budget_below_minimum" if field == "amount" else "amount_too_small"
        raise InvalidInput(code, f"{field} must be at least {low} minor units", f"{field}.amount")
    if money.amount > settings.budget_max_amount:
        raise InvalidInput(
            "amount_too_large",
            f"{field} may be at most {settings.budget_max_amount} minor units",
            f"{field}.amount",
        )
    return money.amount


async def set_budget(
    session: AsyncSession, settings: Settings, principal: Principal, account_id: str, data: BudgetSet
) -> BudgetOut:
    """Replace the budget; publishes ``wallet.budget.updated`` when it changed."""
    # The account row lock orders concurrent changes, so events follow commit order.
    account = await get_account_for(session, principal, account_id, for_update=True)
    currency = account.currency
    amount = _check("amount", data.amount, currency, settings, low=settings.budget_min_amount) or 0
    min_per_click = _check("min_per_click", data.min_per_click, currency, settings, low=0)
    max_per_month = _check("max_per_month", data.max_per_month, currency, settings, low=0)
    if max_per_month is not None and max_per_month < amount:
        raise InvalidInput(
            "max_below_amount", "max_per_month must be at least the budget amount", "max_per_month.amount"
        )
    budget = await _budget(session, account_id)
    wanted = (data.enabled, amount, currency, min_per_click, max_per_month)
    if (
        budget is not None
        and (
            budget.enabled,
            budget.amount,
            budget.currency,
            budget.min_per_click,
            budget.max_per_month,
        )
        == wanted
    ):
        return render(account, budget, settings)
    now = utcnow()
    if budget is None:
        budget = Budget(account_id=account_id)
        session.add(budget)
    budget.enabled, budget.amount, budget.currency = data.enabled, amount, currency
    budget.min_per_click, budget.max_per_month, budget.updated_at = min_per_click, max_per_month, now
    await session.flush()
    out = render(account, budget, settings)
    await OUTBOX.add(
        session,
        BudgetUpdated(
            account_id=account_id,
            enabled=out.enabled,
            amount=out.amount,
            min_per_click=out.min_per_click,
            max_per_month=out.max_per_month,
            updated_at=now,
        ),
    )
    return out
