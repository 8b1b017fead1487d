"""The period calendar: the open period, sealing (by the scheduler or an operator), seal markers.

Sealing takes the calendar lock exclusively: it waits for every click transaction in flight
(they hold it shared) and keeps new ones out until it commits. Under that lock it gives the
period's remaining subscriptions their clicks, counts the period's click records per
partition, stages one ``clicks.period.sealed`` marker pinned to each partition, marks the
period sealed and opens the next one. See docs/periods.md.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_click_ledger.clicks.repository import counts_by_partition
from trickle_click_ledger.models import Period
from trickle_click_ledger.outbox import OUTBOX
from trickle_click_ledger.periods.calendar import ends_at, next_period
from trickle_click_ledger.periods.repository import bootstrap_period, lock_calendar_exclusive
from trickle_click_ledger.subscriptions.service import grant_clicks, run_opening_job
from trickle_events.clicks import PeriodOpened, PeriodSealed
from trickle_kit.envelope import utcnow
from trickle_kit.pagination import PageParams, paginate
from trickle_kit.problems import ProblemError, not_found

log = structlog.get_logger("trickle.click_ledger.periods")


@dataclass(frozen=True)
class SealOutcome:
    period: str
    next_period: str
    sealed_at: datetime
    # partition → (click records, revoke records)
    counts: dict[int, tuple[int, int]]


async def ensure_open_period(session: AsyncSession, now: datetime) -> Period:
    """The open period (opening the current month on a fresh installation).

    Read first: the bootstrap insert runs only when nothing is open (widgets and the
    scheduler call this all the time)."""
    for _ in range(2):
        period = (await session.execute(select(Period).where(Period.state == "open"))).scalar_one_or_none()
        if period is not None:
            return period
        await bootstrap_period(session, now)
    raise RuntimeError("no open period")


DEMO_CALENDAR_SETTING = "TRICKLE_DEMO_CALENDAR"


def warn_if_demo_calendar(demo_calendar: bool) -> None:
    """Say loudly at start-up that operators may seal periods early (never in production)."""
    if demo_calendar:
        log.warning(
            "demo_calendar_on",
            detail=f"{DEMO_CALENDAR_SETTING}=true: operators may seal a period before its month ends, "
            "moving the calendar ahead of the clock for good. Demos and tests only.",
        )


def period_not_ended(period: str) -> ProblemError:
    return ProblemError(
        409,
        "period_not_ended",
        "Conflict",
        f"Period {period} ends at {ends_at(period).isoformat()}; sealing it earlier would move the calendar "
        f"ahead of the clock for good, which only a demo installation may do ({DEMO_CALENDAR_SETTING}=true, "
        "the click-ledger's demo_calendar setting)",
    )


async def seal_open_period(
    session: AsyncSession, *, partitions: int, now: datetime, only_if_due: bool = False, early: bool = False
) -> SealOutcome | None:
    """Seal the open period and open the next.

    Before the period's month has ended (UTC): ``only_if_due`` (the scheduler) returns None,
    nothing sealed; otherwise ``early`` says whether to seal anyway (a demo calendar, the
    ``demo_calendar`` setting) or refuse with 409 ``period_not_ended``.
    """
    await lock_calendar_exclusive(session)
    await bootstrap_period(session, now)
    period = (await session.execute(select(Period).where(Period.state == "open").with_for_update())).scalar_one()
    if now < ends_at(period.id):
        if only_if_due:
            return None
        if not early:
            raise period_not_ended(period.id)
    # Subscriptions whose automatic click the opening job has not given yet get it now,
    # so they are counted and published before the markers.
    while await grant_clicks(session, period.id, partitions=partitions, limit=None, now=now):
        pass
    counts = await counts_by_partition(session, period.id)
    for partition in range(partitions):
        clicks, revokes = counts.get(partition, (0, 0))
        await OUTBOX.add(
            session,
            PeriodSealed(
                period=period.id,
                partition=partition,
                partitions=partitions,
                click_count=clicks,
                revoked_count=revokes,
                sealed_at=now,
            ),
            partition=partition,
        )
    following = next_period(period.id)
    await session.execute(
        update(Period)
        .where(Period.id == period.id)
        .values(state="sealed", sealed_at=now, subscriptions_done_at=period.subscriptions_done_at or now)
    )
    await session.execute(insert(Period).values(id=following, state="open", opened_at=now))
    await OUTBOX.add(session, PeriodOpened(period=following, opened_at=now))
    log.info("period_sealed", period=period.id, next_period=following, counts=counts)
    return SealOutcome(period=period.id, next_period=following, sealed_at=now, counts=counts)


async def get_period(session: AsyncSession, period_id: str) -> Period:
    period = (await session.execute(select(Period).where(Period.id == period_id))).scalar_one_or_none()
    if period is None:
        raise not_found("Period", period_id)
    return period


async def list_periods(session: AsyncSession, page: PageParams) -> tuple[list[Period], bool]:
    rows, has_more = await paginate(session, select(Period), Period.id, page)
    return list(rows), has_more


class PeriodScheduler:
    """Worker task: seals the open period when its UTC month has ended, and runs the
    subscriptions' opening job for the open period. Several workers may run it: the seal
    and the job are safe to run concurrently."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        partitions: int,
        batch_size: int,
        interval_s: float,
    ) -> None:
        self.sessions = sessions
        self.partitions = partitions
        self.batch_size = batch_size
        self.interval_s = interval_s
        self.ticks = 0

    async def tick(self, now: datetime | None = None) -> SealOutcome | None:
        """Seal the open period if its month is over (at ``now``, default the clock), then run the opening job."""
        now = now or utcnow()
        outcome = None
        async with self.sessions() as session, session.begin():
            due = now >= ends_at((await ensure_open_period(session, now)).id)
        if due:  # checked again under the lock: another worker may have sealed it meanwhile
            async with self.sessions() as session, session.begin():
                outcome = await seal_open_period(session, partitions=self.partitions, now=now, only_if_due=True)
        await run_opening_job(self.sessions, partitions=self.partitions, batch_size=self.batch_size)
        self.ticks += 1
        return outcome

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # database away: try again next tick
                log.warning("period_scheduler_error", error=repr(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.interval_s)
