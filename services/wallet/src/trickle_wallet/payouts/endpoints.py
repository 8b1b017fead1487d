"""Payout endpoints: request (202; reserved by the ledger, then paid out by the provider), read, list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.dependencies import Sessions
from trickle_kit.idempotency import IdempotencyKey, create_once
from trickle_kit.pagination import Pagination, cursor_of
from trickle_kit.problems import input_from, problem_responses
from trickle_kit.readable import Reader
from trickle_wallet.deps import AppSettings, Provider, WalletRead, WalletWrite
from trickle_wallet.payouts import service
from trickle_wallet.payouts.schemas import PayoutCreate, PayoutList, PayoutOut, PayoutStatus

router = APIRouter(prefix="/v1/payouts", tags=["payouts"])


@router.post(
    "",
    status_code=202,
    response_model=PayoutOut,
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    summary="Withdraw earnings: the ledger reserves them, then the provider pays out",
)
async def create_payout(
    body: PayoutCreate,
    request: Request,
    principal: WalletWrite,
    settings: AppSettings,
    provider: Provider,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    account_id = principal.own_account()

    async def create(session: AsyncSession) -> tuple[PayoutOut, str]:
        with input_from("body"):
            payout = await service.request_payout(session, settings, provider.name, account_id, body)
        return service.payout_out(payout), f"/v1/payouts/{payout.id}"

    response, _ = await create_once(
        request, key=idempotency_key, scope=principal.subject, body=body, create=create, status_code=202
    )
    return response


@router.get(
    "/{payout_id}", response_model=PayoutOut, responses=problem_responses(401, 403, 404), summary="Read a payout"
)
async def get_payout(payout_id: str, principal: WalletRead, sessions: Sessions) -> PayoutOut:
    async with sessions() as session:
        return service.payout_out(await service.read_payout(session, principal, payout_id))


@router.get(
    "",
    response_model=PayoutList,
    responses=problem_responses(401, 403, 422),
    summary="List my payouts (operators: every account's)",
)
async def list_payouts(
    principal: WalletRead,
    sessions: Sessions,
    page: Pagination,
    status: Annotated[PayoutStatus | None, Query(description="Only payouts in this status")] = None,
) -> PayoutList:
    if not principal.is_operator:
        principal.own_account()  # a token of no account that is no operator's has no payouts
    async with sessions() as session:
        rows, has_more = await service.list_payouts(session, Reader.of(principal), page, status=status)
        return PayoutList(
            data=[service.payout_out(p) for p in rows], has_more=has_more, next_starting_after=cursor_of(rows, has_more)
        )
