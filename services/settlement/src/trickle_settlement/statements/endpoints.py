"""The ledger API: statements (JSON and CSV), entries, balances, the trial balance."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response, StreamingResponse
from pydantic import AfterValidator

from trickle_events.ledger_accounts import HolderKind
from trickle_kit.auth import Principal
from trickle_kit.dependencies import Sessions
from trickle_kit.pagination import MAX_LIMIT
from trickle_kit.problems import problem_responses
from trickle_kit.readable import Reader
from trickle_settlement.deps import LedgerRead, Operator
from trickle_settlement.statements import csv_export, service
from trickle_settlement.statements.schemas import AccountBalances, EntryOut, Statement, TrialBalance

router = APIRouter(prefix="/v1/ledger", tags=["ledger"])

AccountPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=200,
        pattern=r"^[A-Za-z0-9_.:\-]+$",
        description="An account id (acct_…: all its ledger accounts) or one ledger account (operators)",
        examples=["acct_0190…", "platform_commission"],
    ),
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="How many lines at most")]
Cursor = Annotated[
    str | None, Query(pattern=r"^\d{1,18}$", description="The last line id of the previous page", examples=["1042"])
]
KindFilter = Annotated[HolderKind | None, Query(description="Only this kind of ledger account")]


def _utc_instant(value: datetime | None) -> datetime | None:
    """The instant in UTC (a time without offset is UTC); refused when it falls outside years 1..9999 there."""
    if value is None:
        return None
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("the instant must lie between 0001-01-01 and 9999-12-31 in UTC") from exc


PostedFrom = Annotated[
    datetime | None,
    Query(description="Lines posted at or after this instant (UTC when it has no offset)"),
    AfterValidator(_utc_instant),
]
PostedBefore = Annotated[
    datetime | None,
    Query(description="Lines posted before this instant (UTC when it has no offset)"),
    AfterValidator(_utc_instant),
]

CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "The statement as CSV"}
}


async def _csv(
    sessions: Sessions, principal: Principal, account_id: str, filters: service.StatementFilter
) -> StreamingResponse:
    # Everything that can fail (access, filters, the first read) runs before the 200 is sent:
    # an error afterwards could only cut the connection.
    reader = Reader.of(principal)
    async with sessions() as session:
        accounts = await service.readable_accounts(session, reader, account_id)
        export = await csv_export.open_statement_csv(session, reader, accounts, filters)
    filename = f"statement-{account_id.replace(':', '_')}.csv"
    return StreamingResponse(
        export.chunks(sessions),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/accounts/{account_id}/statement",
    response_model=Statement,
    responses={**CSV_RESPONSE, **problem_responses(401, 403, 404, 422)},
)
async def get_statement(
    sessions: Sessions,
    principal: LedgerRead,
    account_id: AccountPath,
    limit: Limit = 50,
    starting_after: Cursor = None,
    kind: KindFilter = None,
    posted_from: PostedFrom = None,
    posted_before: PostedBefore = None,
    format: Annotated[Literal["json", "csv"], Query(description="csv: the whole statement as CSV")] = "json",
) -> Statement | Response:
    """An account's statement, oldest line first, with the balance after each line."""
    filters = service.StatementFilter(account_kind=kind, posted_from=posted_from, posted_before=posted_before)
    if format == "csv":
        return await _csv(sessions, principal, account_id, filters)
    reader = Reader.of(principal)
    async with sessions() as session:
        accounts = await service.readable_accounts(session, reader, account_id)
        lines, has_more = await service.statement_page(
            session,
            reader,
            accounts,
            filters,
            limit=limit,
            starting_after=int(starting_after) if starting_after else None,
        )
    return Statement(
        account_id=account_id,
        data=lines,
        has_more=has_more,
        next_starting_after=lines[-1].id if has_more and lines else None,
    )


@router.get(
    "/accounts/{account_id}/statement.csv",
    response_class=StreamingResponse,
    responses={**CSV_RESPONSE, **problem_responses(401, 403, 404, 422)},
)
async def export_statement_csv(
    sessions: Sessions,
    principal: LedgerRead,
    account_id: AccountPath,
    kind: KindFilter = None,
    posted_from: PostedFrom = None,
    posted_before: PostedBefore = None,
) -> StreamingResponse:
    """The whole statement as CSV (amounts in minor units, natural sign)."""
    filters = service.StatementFilter(account_kind=kind, posted_from=posted_from, posted_before=posted_before)
    return await _csv(sessions, principal, account_id, filters)


@router.get(
    "/accounts/{account_id}/balances",
    response_model=AccountBalances,
    responses=problem_responses(401, 403, 404, 422),
)
async def get_account_balances(sessions: Sessions, principal: LedgerRead, account_id: AccountPath) -> AccountBalances:
    """The balances of an account's ledger accounts (wallet, earnings, payouts in transit)."""
    async with sessions() as session:
        accounts = await service.readable_accounts(session, Reader.of(principal), account_id)
        return await service.balances_of(session, account_id, accounts)


@router.get("/entries/{entry_id}", response_model=EntryOut, responses=problem_responses(401, 403, 404, 422))
async def get_entry(
    sessions: Sessions,
    principal: LedgerRead,
    entry_id: Annotated[str, Path(pattern=r"^je_[0-9a-f]{32}$", examples=["je_0190…"])],
) -> EntryOut:
    """One journal entry: every posting for operators; for an account holder, when it touches their
    accounts, only their postings, the other legs' kinds and other accounts' ids masked."""
    async with sessions() as session:
        return await service.entry_for(session, Reader.of(principal), entry_id)


@router.get("/trial-balance", response_model=TrialBalance, responses=problem_responses(401, 403, 422))
async def get_trial_balance(
    sessions: Sessions,
    principal: Operator,
    verify: Annotated[bool, Query(description="Also recompute every balance from the postings")] = False,
) -> TrialBalance:
    """The trial balance (operators): debits equal credits in every currency."""
    async with sessions() as session:
        return await service.trial_balance(session, verify=verify)
