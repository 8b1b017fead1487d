"""Transfer (tip) endpoints: request (202; the ledger completes or rejects it), read, list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.dependencies import Sessions
from trickle_kit.idempotency import IdempotencyKey, create_once
from trickle_kit.pagination import Pagination, cursor_of
from trickle_kit.problems import input_from, problem_responses
from trickle_kit.readable import Reader
from trickle_wallet.deps import AppSettings, WalletRead, WalletWrite
from trickle_wallet.transfers import service
from trickle_wallet.transfers.schemas import TransferCreate, TransferList, TransferOut

router = APIRouter(prefix="/v1/transfers", tags=["transfers"])


@router.post(
    "",
    status_code=202,
    response_model=TransferOut,
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    summary="Tip another account: pending until the ledger completes or rejects it",
)
async def create_transfer(
    body: TransferCreate,
    request: Request,
    principal: WalletWrite,
    settings: AppSettings,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    account_id = principal.own_account()

    async def create(session: AsyncSession) -> tuple[TransferOut, str]:
        with input_from("body"):
            transfer = await service.request_transfer(session, settings, account_id, body)
        return service.transfer_out(transfer, Reader.for_account(account_id)), f"/v1/transfers/{transfer.id}"

    response, _ = await create_once(
        request, key=idempotency_key, scope=principal.subject, body=body, create=create, status_code=202
    )
    return response


@router.get(
    "/{transfer_id}",
    response_model=TransferOut,
    responses=problem_responses(401, 403, 404),
    summary="Read a transfer I sent or received",
)
async def get_transfer(transfer_id: str, principal: WalletRead, sessions: Sessions) -> TransferOut:
    async with sessions() as session:
        return await service.read_transfer(session, Reader.of(principal), transfer_id)


@router.get(
    "",
    response_model=TransferList,
    responses=problem_responses(401, 403, 422),
    summary="List transfers I sent or received",
)
async def list_transfers(
    principal: WalletRead,
    sessions: Sessions,
    page: Pagination,
    direction: Annotated[service.Direction, Query(description="sent, received or all")] = "all",
) -> TransferList:
    principal.own_account()  # an operator's token holds no account: it has no transfers of its own
    async with sessions() as session:
        rows, has_more = await service.list_transfers(session, Reader.of(principal), direction, page)
        return TransferList(data=rows, has_more=has_more, next_starting_after=cursor_of(rows, has_more))
