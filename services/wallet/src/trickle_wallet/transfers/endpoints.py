"""Transfer (tip) endpoints: request (202; the ledger completes or rejects it), read, list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_kit.auth import Principal, require
from trickle_kit.idempotency import IdempotencyKey, begin_idempotent, json_response
from trickle_kit.pagination import Pagination, cursor_of
from trickle_kit.problems import ProblemError, problem_responses
from trickle_wallet.settings import Settings
from trickle_wallet.transfers import service
from trickle_wallet.transfers.schemas import TransferCreate, TransferList, TransferOut

router = APIRouter(prefix="/v1/transfers", tags=["transfers"])


def _own_account(principal: Principal) -> str:
    if principal.account_id is None:
        raise ProblemError(403, "account_token_required", "Forbidden", "Only an account's token may do this")
    return principal.account_id


def _sessions(request: Request) -> async_sessionmaker[AsyncSession]:
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessions
    return sessions


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
    principal: Annotated[Principal, require("wallet:write")],
    idempotency_key: IdempotencyKey = None,
) -> Response:
    account_id = _own_account(principal)
    sessions = _sessions(request)
    settings: Settings = request.app.state.settings
    async with begin_idempotent(
        sessions, key=idempotency_key, scope=principal.subject, request=request, body=body.model_dump(mode="json")
    ) as idem:
        if idem.replay is not None:
            return idem.replay
        async with sessions() as session, session.begin():
            transfer = await service.request_transfer(session, settings, account_id, body)
            response = json_response(
                service.transfer_out(transfer).model_dump(mode="json"),
                status_code=202,
                headers={"Location": f"/v1/transfers/{transfer.id}"},
            )
            await idem.store(session, response)
        return response


@router.get(
    "/{transfer_id}",
    response_model=TransferOut,
    responses=problem_responses(401, 403, 404),
    summary="Read a transfer I sent or received",
)
async def get_transfer(
    transfer_id: str, request: Request, principal: Annotated[Principal, require("wallet:read")]
) -> TransferOut:
    async with _sessions(request)() as session:
        return service.transfer_out(await service.read_transfer(session, principal, transfer_id))


@router.get(
    "",
    response_model=TransferList,
    responses=problem_responses(401, 403, 422),
    summary="List transfers I sent or received",
)
async def list_transfers(
    request: Request,
    principal: Annotated[Principal, require("wallet:read")],
    page: Pagination,
    direction: Annotated[service.Direction, Query(description="sent, received or all")] = "all",
) -> TransferList:
    account_id = _own_account(principal)
    async with _sessions(request)() as session:
        rows, has_more = await service.list_transfers(session, account_id, direction, page)
        return TransferList(
            data=[service.transfer_out(t) for t in rows],
            has_more=has_more,
            next_starting_after=cursor_of(rows, has_more),
        )
