"""HTTP endpoint of the seal (an operator's, before the scheduler's)."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks

from trickle_click_ledger.deps import AppSettings, Operator
from trickle_click_ledger.periods.schemas import period_out
from trickle_click_ledger.periods.service import get_period
from trickle_click_ledger.seal import service
from trickle_click_ledger.seal.schemas import PartitionCount, SealResult
from trickle_click_ledger.subscriptions.service import run_opening_job
from trickle_kit.dependencies import Sessions
from trickle_kit.envelope import utcnow
from trickle_kit.problems import problem_responses

# Same prefix and tag as periods/endpoints.py: to the API it is one of the period calendar's operations.
router = APIRouter(prefix="/v1/periods", tags=["periods"])


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
        sealed = period_out(await get_period(session, outcome.period))
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
