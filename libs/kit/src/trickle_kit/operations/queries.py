"""Reads of the kit's own tables for operators and metrics: the outbox backlog, the inbox's dead letters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.tables import OutboxRecord, ProcessedEvent

DEAD = "dead"


@dataclass(frozen=True)
class OutboxStatus:
    """Events written but not yet published, and how long the oldest of them has waited."""

    pending: int
    oldest_age_s: float | None
    oldest_occurred_at: datetime | None


@dataclass(frozen=True)
class DeadLetterRow:
    """An event a consumer of this service could not apply (``processed_events`` outcome ``dead``)."""

    consumer: str
    event_id: str
    dead_at: datetime
    error: str | None


async def outbox_status(session: AsyncSession) -> OutboxStatus:
    """The unpublished outbox rows: how many, and the age of the oldest in seconds (None when empty).

    Uses the partial index on unpublished rows; the age is measured by the database's clock.
    """
    row = (
        await session.execute(
            select(
                func.count(),
                func.min(OutboxRecord.occurred_at),
                func.extract("epoch", func.statement_timestamp() - func.min(OutboxRecord.occurred_at)),
            ).where(OutboxRecord.published_at.is_(None))
        )
    ).one()
    pending, oldest, age = row
    return OutboxStatus(
        pending=int(pending), oldest_age_s=None if age is None else max(0.0, float(age)), oldest_occurred_at=oldest
    )


async def dead_letter_count(session: AsyncSession) -> int:
    """How many (consumer, event) pairs of this service's inbox are dead letters now."""
    count = await session.scalar(select(func.count()).select_from(ProcessedEvent).where(ProcessedEvent.outcome == DEAD))
    return int(count or 0)


async def dead_letters(
    session: AsyncSession, *, starting_after: str | None, limit: int
) -> tuple[list[DeadLetterRow], bool]:
    """One page of dead letters in event-id order (ids are uuid7: the order events were made); (rows, has_more).

    An event dead for several consumers is on one page whole (the page may exceed ``limit`` by them).
    """
    stmt = select(ProcessedEvent).where(ProcessedEvent.outcome == DEAD)
    if starting_after:
        stmt = stmt.where(ProcessedEvent.event_id > starting_after)
    rows = (
        (await session.execute(stmt.order_by(ProcessedEvent.event_id, ProcessedEvent.consumer).limit(limit + 1)))
        .scalars()
        .all()
    )
    page, has_more = list(rows[:limit]), len(rows) > limit
    if has_more and rows[limit].event_id == page[-1].event_id:
        # The cursor is an event id: an event's rows (one per consumer) never straddle two pages.
        last = page[-1]
        rest = select(ProcessedEvent).where(
            ProcessedEvent.outcome == DEAD,
            ProcessedEvent.event_id == last.event_id,
            ProcessedEvent.consumer > last.consumer,
        )
        page += (await session.execute(rest.order_by(ProcessedEvent.consumer))).scalars().all()
        later = select(ProcessedEvent.event_id).where(
            ProcessedEvent.outcome == DEAD, ProcessedEvent.event_id > last.event_id
        )
        has_more = bool(await session.scalar(select(later.exists())))
    return [_row(r) for r in page], has_more


async def dead_letters_of(session: AsyncSession, event_id: str, *, for_update: bool = False) -> list[DeadLetterRow]:
    """The dead letters of one event (one per consumer that could not apply it)."""
    stmt = select(ProcessedEvent).where(ProcessedEvent.event_id == event_id, ProcessedEvent.outcome == DEAD)
    if for_update:
        stmt = stmt.with_for_update()
    return [_row(r) for r in (await session.execute(stmt.order_by(ProcessedEvent.consumer))).scalars()]


async def applied_by(session: AsyncSession, event_id: str) -> list[str]:
    """The consumers of this service that applied (not dead-lettered) the event."""
    rows = await session.execute(
        select(ProcessedEvent.consumer).where(ProcessedEvent.event_id == event_id, ProcessedEvent.outcome != DEAD)
    )
    return list(rows.scalars())


async def forget_dead_letters(session: AsyncSession, event_id: str, consumers: list[str]) -> int:
    """Remove the inbox's dead rows of the event, so the inbox claims it again when it comes back (replay).

    Only ``dead`` rows go: an applied event keeps its row and can never be applied twice.
    """
    result = await session.execute(
        delete(ProcessedEvent).where(
            ProcessedEvent.event_id == event_id,
            ProcessedEvent.consumer.in_(consumers),
            ProcessedEvent.outcome == DEAD,
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _row(r: ProcessedEvent) -> DeadLetterRow:
    return DeadLetterRow(consumer=r.consumer, event_id=r.event_id, dead_at=r.processed_at, error=r.error)
