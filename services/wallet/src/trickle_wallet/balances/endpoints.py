"""GET an account's balances (read model of the ledger)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from trickle_kit.dependencies import Sessions
from trickle_kit.problems import not_found, problem_responses
from trickle_kit.readable import Reader
from trickle_wallet.accounts.models import Account
from trickle_wallet.balances import service
from trickle_wallet.balances.schemas import BalancesOut
from trickle_wallet.deps import WalletRead

router = APIRouter(tags=["balances"])


@router.get(
    "/v1/accounts/{account_id}/balances",
    response_model=BalancesOut,
    responses=problem_responses(401, 403, 404),
    summary="Read an account's wallet, earnings and reserved balances",
)
async def get_balances(account_id: str, principal: WalletRead, sessions: Sessions) -> BalancesOut:
    if not Reader.of(principal).holds(account_id):
        raise not_found("Account", account_id)
    async with sessions() as session:
        currency = (await session.execute(select(Account.currency).where(Account.id == account_id))).scalar()
        if currency is None:
            raise not_found("Account", account_id)
        return await service.balances_of(session, account_id, currency)
