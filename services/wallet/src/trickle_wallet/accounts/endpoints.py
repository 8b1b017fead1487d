"""HTTP API of accounts: thin, the logic lives in accounts.service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.dependencies import Sessions
from trickle_kit.idempotency import IdempotencyKey, create_once, without_secret
from trickle_kit.pagination import Pagination, cursor_of
from trickle_kit.problems import input_from, problem_responses
from trickle_wallet.accounts import service
from trickle_wallet.accounts.schemas import (
    Account,
    AccountCreate,
    AccountList,
    AccountRegistered,
    AccountUpdate,
    CommissionUpdate,
    NonProfitUpdate,
    SuspensionCreate,
)
from trickle_wallet.credentials.schemas import ApiKey, ApiKeyCreated
from trickle_wallet.deps import AccountsRead, AccountsWrite, AppSettings, Operator

router = APIRouter(tags=["accounts"])
AccountId = Annotated[str, Path(max_length=40, description="An account id", examples=["acct_0190c0ffee…"])]


def _client_scope(request: Request) -> str:
    # Registration is anonymous: idempotency keys are scoped to the caller's address.
    return f"anonymous:{request.client.host if request.client else 'unknown'}"


@router.post(
    "/v1/accounts",
    status_code=201,
    response_model=AccountRegistered,
    responses=problem_responses(400, 409, 413, 422, 429),
)
async def create_account(
    request: Request, payload: AccountCreate, settings: AppSettings, idempotency_key: IdempotencyKey = None
) -> Response:
    """Register an account (no token needed). The response carries the first API key's secret, once."""

    async def create(session: AsyncSession) -> tuple[AccountRegistered, str]:
        with input_from("body"):
            account, key = await service.register(session, settings, payload)
        out = AccountRegistered(
            account=Account.model_validate(account),
            api_key=ApiKeyCreated(**ApiKey.model_validate(key.key).model_dump(), secret=key.secret),
        )
        return out, f"/v1/accounts/{account.id}"

    def key_secret_hidden(out: BaseModel) -> BaseModel:
        assert isinstance(out, AccountRegistered)
        return out.model_copy(update={"api_key": without_secret(out.api_key)})

    response, _ = await create_once(
        request,
        key=idempotency_key,
        scope=_client_scope(request),
        body=payload,
        create=create,
        redact=key_secret_hidden,
    )
    return response


@router.get("/v1/accounts", response_model=AccountList, responses=problem_responses(401, 403, 422, 429))
async def find_accounts(
    principal: Operator,
    sessions: Sessions,
    page: Pagination,
    email: Annotated[str | None, Query(max_length=254, description="Exact email (any case)")] = None,
    q: Annotated[
        str | None, Query(min_length=1, max_length=100, description="Part of the id, display name or email")
    ] = None,
) -> AccountList:
    """Operators only: find accounts by email or by part of their id, name or email (all accounts when neither)."""
    async with sessions() as session:
        rows, has_more = await service.find_accounts(session, principal, email=email, q=q, page=page)
    data = [Account.model_validate(a) for a in rows]
    return AccountList(data=data, has_more=has_more, next_starting_after=cursor_of(data, has_more))


@router.get("/v1/accounts/{account_id}", response_model=Account, responses=problem_responses(401, 403, 404, 429))
async def get_account(account_id: AccountId, principal: AccountsRead, sessions: Sessions) -> Account:
    async with sessions() as session:
        return Account.model_validate(await service.get_account_for(session, principal, account_id))


@router.patch(
    "/v1/accounts/{account_id}",
    response_model=Account,
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 429),
)
async def update_account(
    account_id: AccountId, payload: AccountUpdate, principal: AccountsWrite, sessions: Sessions
) -> Account:
    """Change the display name or whether the account's giving is public."""
    async with sessions() as session, session.begin():
        account = await service.update(session, principal, account_id, payload)
    return Account.model_validate(account)


@router.post(
    "/v1/accounts/{account_id}/non-profit",
    response_model=Account,
    responses=problem_responses(400, 401, 403, 404, 413, 422, 429),
)
async def set_account_non_profit(
    account_id: AccountId,
    payload: NonProfitUpdate,
    principal: Operator,
    sessions: Sessions,
    settings: AppSettings,
) -> Account:
    """Operators only: flag (or unflag) a non-profit; a non-profit's commission is 0."""
    async with sessions() as session, session.begin():
        account = await service.set_non_profit(session, settings, account_id, payload.non_profit)
    return Account.model_validate(account)


@router.put(
    "/v1/accounts/{account_id}/commission",
    response_model=Account,
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 429),
)
async def set_account_commission(
    account_id: AccountId, payload: CommissionUpdate, principal: Operator, sessions: Sessions
) -> Account:
    """Operators only: the commission rate (basis points) taken from what the account receives."""
    async with sessions() as session, session.begin():
        account = await service.set_commission(session, account_id, payload.commission_bps)
    return Account.model_validate(account)


@router.put(
    "/v1/accounts/{account_id}/suspension",
    response_model=Account,
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 429),
)
async def suspend_account(
    account_id: AccountId, payload: SuspensionCreate, principal: Operator, sessions: Sessions
) -> Account:
    """Operators only: suspend an account, with a reason. No new clicks, deposits, tips or payouts are accepted
    from it (problem ``account_suspended``); its money stays, reads still work. Repeating it updates the reason."""
    async with sessions() as session, session.begin():
        account = await service.suspend(session, account_id, payload.reason)
    return Account.model_validate(account)


@router.delete(
    "/v1/accounts/{account_id}/suspension",
    response_model=Account,
    responses=problem_responses(401, 403, 404, 409, 429),
)
async def unsuspend_account(account_id: AccountId, principal: Operator, sessions: Sessions) -> Account:
    """Operators only: lift a suspension (nothing happens if the account is not suspended)."""
    async with sessions() as session, session.begin():
        account = await service.unsuspend(session, account_id)
    return Account.model_validate(account)
