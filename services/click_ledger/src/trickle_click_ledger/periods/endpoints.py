"""HTTP endpoints of the period calendar."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks

from trickle_click_ledger.deps import AppSettings, ClicksRead, Operator, Sessions
from trickle_click_ledger.models import Period
from trickle_click_ledger.periods import service
from trickle_click_ledger.periods.calendar import ends_at
from trickle_click_ledger.periods.schemas import PartitionCount, PeriodList, PeriodOut, SealResult
from trickle_click_ledger.subscriptions.service import run_opening_job
from trickle_kit.envelope import utcnow
from trickle_kit.pagination import Pagination, cursor_of
from trickle_kit.problems import problem_responses

router = APIRouter(prefix="/v1/periods", tags=["periods"])


def period_out(period: Period) -> PeriodOut:
    return PeriodOut(
        id=period.id,
        state=period.state,
        opened_at=period.opened_at,
        sealed_at=period.sealed_at,
        ends_at=ends_at(period.id),
    )


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


@router.post("/current/seal", response_model=SealResult, responses=problem_responses(401, 403, 409))
async def seal_current_period(
    principal: Operator, sessions: Sessions, settings: AppSettings, background: BackgroundTasks
) -> SealResult:
    """Operators: seal the open period once its month has ended, without waiting for the scheduler.

    Before the month's end only with the click-ledger's demo setting ``TRICKLE_DEMO_CALENDAR``
    (how demos and tests run a month in seconds; the calendar then stays ahead of the clock);
    otherwise 409 ``period_not_ended``. Seal markers are published on every partition of the
    click topic after the period's last click there.
    """
    async with sessions() as session, session.begin():
        outcome = await service.seal_open_period(
            session, partitions=settings.click_partitions, now=utcnow(), early=settings.demo_calendar
        )
        assert outcome is not None  # not only_if_due: seals or refuses
        sealed = period_out(await service.get_period(session, outcome.period))
    # The new period's subscriptions get their clicks after the response (the worker also runs this job).
    background.add_task(
        run_opening_job, sessions, partitions=settings.click_partitions, batch_size=settings.subscription_batch_size
    )
    return SealResult(
        sealed=sealed,
        opened=outcome.next_period,
        partitions=[
            PartitionCount(
                partition=p,
                click_count=outcome.counts.get(p, (0, 0))[0],
                revoked_count=outcome.counts.get(p, (0, 0))[1],
            )
            for p in range(settings.click_partitions)
        ],
    )
