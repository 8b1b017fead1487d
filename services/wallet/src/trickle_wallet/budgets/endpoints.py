"""HTTP API of budgets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from trickle_kit.auth import Principal, require
from trickle_kit.dependencies import sessions_of
from trickle_kit.problems import problem_responses
from trickle_wallet.budgets import service
from trickle_wallet.budgets.schemas import Budget, BudgetSet

router = APIRouter(tags=["budgets"])
AccountId = Annotated[str, Path(max_length=40, description="An account id")]


@router.get("/v1/accounts/{account_id}/budget", response_model=Budget, responses=problem_responses(401, 403, 404, 429))
async def get_budget(
    request: Request, account_id: AccountId, principal: Annotated[Principal, require("wallet:read")]
) -> Budget:
    """The monthly budget (disabled with amount 0 until one is set)."""
    async with sessions_of(request)() as session:
        return await service.get_budget(session, request.app.state.settings, principal, account_id)


@router.put(
    "/v1/accounts/{account_id}/budget",
    response_model=Budget,
    responses=problem_responses(400, 401, 403, 404, 413, 422, 429),
)
async def set_budget(
    request: Request,
    account_id: AccountId,
    payload: BudgetSet,
    principal: Annotated[Principal, require("wallet:write")],
) -> Budget:
    """Set the monthly budget (amount ≥ the minimum; max_per_month ≥ amount) or disable it."""
    async with sessions_of(request)() as session, session.begin():
        budget = await service.set_budget(session, request.app.state.settings, principal, account_id, payload)
    return budget
