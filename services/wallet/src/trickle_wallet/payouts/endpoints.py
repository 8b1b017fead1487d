"""Payout endpoints: request (202; reserved by the ledger, then paid out by the provider), read, list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_kit.auth import Principal, require
from trickle_kit.idempotency import IdempotencyKey, begin_idempotent, json_response
from trickle_kit.pagination import Pagination, cursor_of
from trickle_kit.problems import ProblemError, problem_responses
from trickle_wallet.payouts import service
from trickle_wallet.payouts.schemas import PayoutCreate, PayoutList, PayoutOut
from trickle_wallet.settings import Settings

router = APIRouter(prefix="/v1/payouts", tags=["payouts"])


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
    response_model=PayoutOut,
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    summary="Withdraw earnings: the ledger reserves them, then the provider pays out",
)
async def create_payout(
    body: PayoutCreate,
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
            payout = await service.request_payout(session, settings, account_id, body)
            response = json_response(
                service.payout_out(payout).model_dump(mode="json"),
                status_code=202,
                headers={"Location": f"/v1/payouts/{payout.id}"},
            )
            await idem.store(session, response)
        return response


@router.get(
    "/{payout_id}", response_model=PayoutOut, responses=problem_responses(401, 403, 404), summary="Read a payout"
)
async def get_payout(
    payout_id: str, request: Request, principal: Annotated[Principal, require("wallet:read")]
) -> PayoutOut:
    async with _sessions(request)() as session:
        return service.payout_out(await service.read_payout(session, principal, payout_id))


@router.get("", response_model=PayoutList, responses=problem_responses(401, 403, 422), summary="List my payouts")
async def list_payouts(
    request: Request, principal: Annotated[Principal, require("wallet:read")], page: Pagination
) -> PayoutList:
    account_id = _own_account(principal)
    async with _sessions(request)() as session:
        rows, has_more = await service.list_payouts(session, account_id, page)
        return PayoutList(
            data=[service.payout_out(p) for p in rows], has_more=has_more, next_starting_after=cursor_of(rows, has_more)
        )
