"""HTTP API of budgets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from trickle_kit.dependencies import Sessions
from trickle_kit.problems import input_from, problem_responses
from trickle_wallet.budgets import service
from trickle_wallet.budgets.schemas import Budget, BudgetSet
from trickle_wallet.deps import AppSettings, WalletRead, WalletWrite

router = APIRouter(tags=["budgets"])
AccountId = Annotated[str, Path(max_length=40, description="An account id")]


@router.get("/v1/accounts/{account_id}/budget", response_model=Budget, responses=problem_responses(401, 403, 404, 429))
async def get_budget(account_id: AccountId, principal: WalletRead, sessions: Sessions, settings: AppSettings) -> Budget:
    """The monthly budget (disabled with amount 0 until one is set)."""
    async with sessions() as session:
        return await service.get_budget(session, settings, principal, account_id)


@router.put(
    "/v1/accounts/{account_id}/budget",
    response_model=Budget,
    responses=problem_responses(400, 401, 403, 404, 413, 422, 429),
)
async def set_budget(
    account_id: AccountId, payload: BudgetSet, principal: WalletWrite, sessions: Sessions, settings: AppSettings
) -> Budget:
    """Set the monthly budget (amount ≥ the minimum; max_per_month ≥ amount) or disable it."""
    async with sessions() as session, session.begin():
        with input_from("body"):
            budget = await service.set_budget(session, settings, principal, account_id, payload)
    return budget
