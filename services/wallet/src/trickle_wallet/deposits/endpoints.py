"""Deposit endpoints: quote, create (202, the provider answers later), read, list."""

from __future__ import annotations

import structlog
from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.dependencies import Sessions
from trickle_kit.idempotency import IdempotencyKey, create_once
from trickle_kit.pagination import Pagination, cursor_of
from trickle_kit.problems import input_from, problem_responses
from trickle_kit.readable import Reader
from trickle_wallet.deposits import service
from trickle_wallet.deposits.schemas import DepositCreate, DepositList, DepositOut, DepositQuoteOut, DepositQuoteRequest
from trickle_wallet.deps import AppSettings, Provider, WalletRead, WalletWrite
from trickle_wallet.providers.base import PaymentOrder

router = APIRouter(prefix="/v1/deposits", tags=["deposits"])
log = structlog.get_logger("trickle.wallet.deposits")


@router.post(
    "/quote",
    response_model=DepositQuoteOut,
    responses=problem_responses(400, 401, 403, 404, 413, 422),
    summary="Quote a deposit's fee",
)
async def quote_deposit(
    body: DepositQuoteRequest, principal: WalletRead, sessions: Sessions, settings: AppSettings
) -> DepositQuoteOut:
    account_id = principal.own_account()
    async with sessions() as session:
        account = await service.account_of(session, account_id)
    with input_from("body"):
        q = service.quote(settings, account, body.method, body.amount)
    return DepositQuoteOut(method=body.method, gross=q.gross, fee=q.fee, net=q.net)


@router.post(
    "",
    status_code=202,
    response_model=DepositOut,
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    summary="Fund the wallet: starts a payment; the deposit succeeds or fails when the provider answers",
)
async def create_deposit(
    body: DepositCreate,
    request: Request,
    principal: WalletWrite,
    settings: AppSettings,
    provider: Provider,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    account_id = principal.own_account()

    async def create(session: AsyncSession) -> tuple[DepositOut, str]:
        with input_from("body"):
            deposit = await service.create_deposit(session, settings, provider.name, account_id, body)
        return service.deposit_out(deposit), f"/v1/deposits/{deposit.id}"

    response, out = await create_once(
        request, key=idempotency_key, scope=principal.subject, body=body, create=create, status_code=202
    )
    if not isinstance(out, DepositOut):  # a replay: the payment was started the first time
        return response
    # After the commit: the provider's callback must find the deposit. If this fails, the deposit times out.
    try:
        await provider.start(PaymentOrder("deposit", out.id, out.gross, out.sandbox, out.method))
    except Exception as exc:
        log.error("provider_start_failed", deposit_id=out.id, error=repr(exc))
    return response


@router.get(
    "/{deposit_id}", response_model=DepositOut, responses=problem_responses(401, 403, 404), summary="Read a deposit"
)
async def get_deposit(deposit_id: str, principal: WalletRead, sessions: Sessions) -> DepositOut:
    async with sessions() as session, session.begin():
        deposit = await service.read_deposit(session, principal, deposit_id)
        out = service.deposit_out(deposit)
    return out


@router.get("", response_model=DepositList, responses=problem_responses(401, 403, 422), summary="List my deposits")
async def list_deposits(principal: WalletRead, sessions: Sessions, page: Pagination) -> DepositList:
    principal.own_account()  # an operator's token holds no account: it has no deposits of its own
    async with sessions() as session:
        rows, has_more = await service.list_deposits(session, Reader.of(principal), page)
        return DepositList(
            data=[service.deposit_out(d) for d in rows],
            has_more=has_more,
            next_starting_after=cursor_of(rows, has_more),
        )
