"""Refund endpoints: ask for the wallet's unspent balance back (202; reserved by the ledger, then paid back by the
provider), read, list."""

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
from trickle_wallet.refunds import service
from trickle_wallet.refunds.schemas import RefundCreate, RefundList, RefundOut, RefundStatus

router = APIRouter(prefix="/v1/refunds", tags=["refunds"])


@router.post(
    "",
    status_code=202,
    response_model=RefundOut,
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    summary="Ask for the wallet's unspent balance back: the ledger reserves it, then the provider pays it back",
)
async def create_refund(
    body: RefundCreate,
    request: Request,
    principal: WalletWrite,
    settings: AppSettings,
    provider: Provider,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """The holder (`wallet:write`) for their own account, or an operator for any. `amount` defaults to the whole
    unspent wallet balance; more than that is refused (422 `amount_above_balance`), an empty wallet is 409
    `nothing_to_refund`. A suspended account may still have its money back; a deleted one is 409 `account_deleted`.
    Earnings are not refunded: they are paid out (`POST /v1/payouts`)."""

    async def create(session: AsyncSession) -> tuple[RefundOut, str]:
        with input_from("body"):
            refund = await service.request_refund(session, settings, provider.name, principal, body)
        return service.refund_out(refund), f"/v1/refunds/{refund.id}"

    response, _ = await create_once(
        request, key=idempotency_key, scope=principal.subject, body=body, create=create, status_code=202
    )
    return response


@router.get(
    "/{refund_id}", response_model=RefundOut, responses=problem_responses(401, 403, 404), summary="Read a refund"
)
async def get_refund(refund_id: str, principal: WalletRead, sessions: Sessions) -> RefundOut:
    async with sessions() as session:
        return service.refund_out(await service.read_refund(session, principal, refund_id))


@router.get(
    "",
    response_model=RefundList,
    responses=problem_responses(401, 403, 422),
    summary="List my refunds (operators: every account's)",
)
async def list_refunds(
    principal: WalletRead,
    sessions: Sessions,
    page: Pagination,
    status: Annotated[RefundStatus | None, Query(description="Only refunds in this status")] = None,
) -> RefundList:
    if not principal.is_operator:
        principal.own_account()  # a token of no account that is no operator's has no refunds
    async with sessions() as session:
        rows, has_more = await service.list_refunds(session, Reader.of(principal), page, status=status)
        return RefundList(
            data=[service.refund_out(r) for r in rows], has_more=has_more, next_starting_after=cursor_of(rows, has_more)
        )
