"""HTTP API of a person's data: the export and the deletion of an account."""

from __future__ import annotations

from fastapi import APIRouter, Response

from trickle_kit.dependencies import Sessions
from trickle_kit.problems import problem_responses
from trickle_wallet.account_data import service
from trickle_wallet.account_data.schemas import AccountExport
from trickle_wallet.accounts.endpoints import AccountId
from trickle_wallet.deps import AccountsRead, AccountsWrite, AppSettings

router = APIRouter(tags=["accounts"])


@router.get(
    "/v1/accounts/{account_id}/export",
    response_model=AccountExport,
    responses=problem_responses(401, 403, 404, 422, 429),
)
async def export_account(
    account_id: AccountId, principal: AccountsRead, sessions: Sessions, settings: AppSettings
) -> AccountExport:
    """Everything the wallet holds about the account, as one JSON document: profile, balances, budget, API keys
    (never their secrets), deposits, tips sent and received, payouts. ``elsewhere`` lists the endpoints of
    the other services' data (ledger statement CSV, clicks, subscriptions, things, claims, webhook endpoints).
    The holder or an operator."""
    async with sessions() as session, session.begin():
        return await service.export(session, settings, principal, account_id)


@router.delete(
    "/v1/accounts/{account_id}",
    status_code=204,
    response_class=Response,
    responses=problem_responses(401, 403, 404, 409, 422, 429),
)
async def delete_account(account_id: AccountId, principal: AccountsWrite, sessions: Sessions) -> Response:
    """Delete the account: refused (409 ``balance_not_zero`` / ``money_in_flight``) while money is left on it or
    on its way; pay out the earnings or ask an operator for a refund first. Then its personal data is erased,
    its API keys revoked and the other services told; the ledger keeps its rows under the account id.
    Deleting again answers 204 too."""
    async with sessions() as session, session.begin():
        await service.delete(session, principal, account_id)
    return Response(status_code=204)
