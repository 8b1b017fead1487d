"""HTTP endpoints of the period calendar (reads; the operator's seal is seal/endpoints.py)."""

from __future__ import annotations

from fastapi import APIRouter

from trickle_click_ledger.deps import ClicksRead
from trickle_click_ledger.periods import service
from trickle_click_ledger.periods.schemas import PeriodList, PeriodOut, period_out
from trickle_kit.dependencies import Sessions
from trickle_kit.envelope import utcnow
from trickle_kit.pagination import Pagination, cursor_of
from trickle_kit.problems import problem_responses

router = APIRouter(prefix="/v1/periods", tags=["periods"])


@router.get("/current", response_model=PeriodOut, responses=problem_responses(401, 403))
async def get_current_period(principal: ClicksRead, sessions: Sessions) -> PeriodOut:
    """The open period: new clicks go there."""
    async with sessions() as session, session.begin():
        period = await service.ensure_open_period(session, utcnow())
        out = period_out(period)
    return out


@router.get("", response_model=PeriodList, responses=problem_responses(401, 403, 422))
async def list_periods(principal: ClicksRead, sessions: Sessions, page: Pagination) -> PeriodList:
    """Every period, oldest first."""
    async with sessions() as session:
        periods, has_more = await service.list_periods(session, page)
    return PeriodList(
        data=[period_out(p) for p in periods], has_more=has_more, next_starting_after=cursor_of(periods, has_more)
    )


# Not /v1/periods/{period}: that URL is settlement's (where the period's close stands).
@router.get("/{period_id}/calendar", response_model=PeriodOut, responses=problem_responses(401, 403, 404))
async def get_period(period_id: str, principal: ClicksRead, sessions: Sessions) -> PeriodOut:
    """One period of the calendar: open or sealed, when it opened, sealed and ends."""
    async with sessions() as session:
        return period_out(await service.get_period(session, period_id))
