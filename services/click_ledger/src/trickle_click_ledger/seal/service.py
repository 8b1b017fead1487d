"""Sealing the open period (by the scheduler or an operator) and its seal markers.

Sealing takes the calendar lock exclusively: it waits for every click transaction in flight
(they hold it shared) and keeps new ones out until it commits. Under that lock it gives the
period's remaining subscriptions their clicks, counts the period's click records per
partition, stages one ``clicks.period.sealed`` marker pinned to each partition, marks the
period sealed and opens the next one. See docs/periods.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.clicks.queries import counts_by_partition
from trickle_click_ledger.models import Period
from trickle_click_ledger.outbox import OUTBOX
from trickle_click_ledger.periods.calendar import ends_at, next_period
from trickle_click_ledger.periods.lock import bootstrap_period, lock_calendar_exclusive
from trickle_click_ledger.subscriptions.service import grant_clicks
from trickle_events.clicks import PeriodOpened, PeriodSealed
from trickle_kit.problems import ProblemError

log = structlog.get_logger("trickle.click_ledger.periods")


@dataclass(frozen=True)
class SealOutcome:
    period: str
    next_period: str
    sealed_at: datetime
    # partition → (click records, revoke records)
    counts: dict[int, tuple[int, int]]


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
