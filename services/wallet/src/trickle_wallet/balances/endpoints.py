"""GET an account's balances (read model of the ledger)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_kit.auth import Principal, require
from trickle_kit.problems import not_found, problem_responses
from trickle_kit.readable import Reader
from trickle_wallet.accounts.models import Account
from trickle_wallet.balances import service
from trickle_wallet.balances.schemas import BalancesOut

router = APIRouter(tags=["balances"])


@router.get(
    "/v1/accounts/{account_id}/balances",
    response_model=BalancesOut,
    responses=problem_responses(401, 403, 404),
    summary="Read an account's wallet, earnings and reserved balances",
)
async def get_balances(
    account_id: str, request: Request, principal: Annotated[Principal, require("wallet:read")]
) -> BalancesOut:
    if not Reader.of(principal).holds(account_id):
        raise not_found("Account", account_id)
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessions
    async with sessions() as session:
        currency = (await session.execute(select(Account.currency).where(Account.id == account_id))).scalar()
        if currency is None:
            raise not_found("Account", account_id)
        return await service.balances_of(session, account_id, currency)
