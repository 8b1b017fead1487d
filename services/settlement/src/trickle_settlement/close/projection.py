"""The click-ledger's clicks, things and seal markers as the close needs them (inbox handlers).

Counts per (period, Kafka partition) are kept so that a close starts only when every
partition's seal marker has arrived and agrees with what was projected.
"""

from __future__ import annotations

import structlog
from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.clicks import ClickRegistered, ClickRevoked, PeriodSealed, ThingClaimed, ThingState
from trickle_kit.inbox import Received
from trickle_settlement.close.escrow import release_escrow
from trickle_settlement.close.models import (
    PartitionCount,
    PeriodClose,
    ProjectedClick,
    ProjectedThing,
    SealMarker,
)
from trickle_settlement.close.service import evaluate_auto_start

log = structlog.get_logger("trickle.settlement.close")


async def period_status_for_share(session: AsyncSession, period: str) -> PeriodClose:
    """The period's close row (created open), share-locked so a close cannot start under our feet."""
    await session.execute(insert(PeriodClose).values(period=period).on_conflict_do_nothing())
    row = (
        await session.execute(select(PeriodClose).where(PeriodClose.period == period).with_for_update(read=True))
    ).scalar_one()
    return row


async def _count(session: AsyncSession, period: str, partition: int, *, registered: int = 0, revoked: int = 0) -> None:
    stmt = insert(PartitionCount).values(period=period, partition=partition, registered=registered, revoked=revoked)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[PartitionCount.period, PartitionCount.partition],
            set_={
                "registered": PartitionCount.registered + registered,
                "revoked": PartitionCount.revoked + revoked,
            },
        )
    )


async def on_click_registered(session: AsyncSession, received: Received) -> None:
    event = received.event
    assert isinstance(event, ClickRegistered)
    period = await period_status_for_share(session, event.period)
    await _count(session, event.period, received.partition, registered=1)
    if period.status != "open":
        log.warning("click_after_close_started", period=event.period, click_id=event.click_id)
        return
    thing = (
        await session.execute(select(ProjectedThing).where(ProjectedThing.thing_id == event.thing_id))
    ).scalar_one_or_none()
    owner = event.owner_id or (thing.owner_id if thing else None)
    weight = thing.weight if thing else event.weight
    values = {
        "period": event.period,
        "patron_id": event.patron_id,
        "thing_id": event.thing_id,
        "owner_id": owner,
        "weight": weight,
        "clicked_at": event.clicked_at,
        "revoked_at": None,
    }
    await session.execute(
        insert(ProjectedClick)
        .values(click_id=event.click_id, **values)
        .on_conflict_do_update(index_elements=[ProjectedClick.click_id], set_=values)
    )
    if period.reason and period.reason.startswith("count mismatch"):
        await evaluate_auto_start(session, event.period)


async def on_click_revoked(session: AsyncSession, received: Received) -> None:
    event = received.event
    assert isinstance(event, ClickRevoked)
    period = await period_status_for_share(session, event.period)
    await _count(session, event.period, received.partition, revoked=1)
    if period.status != "open":
        log.warning("revocation_after_close_started", period=event.period, click_id=event.click_id)
        return
    await session.execute(
        update(ProjectedClick).where(ProjectedClick.click_id == event.click_id).values(revoked_at=event.revoked_at)
    )
    if period.reason and period.reason.startswith("count mismatch"):
        await evaluate_auto_start(session, event.period)


async def _refresh_open_clicks(session: AsyncSession, thing_id: str, owner_id: str | None, weight: int) -> None:
    # Only periods still open: a close freezes its clicks when it starts (share lock on the period rows).
    await session.execute(
        text(
            "WITH open_periods AS (SELECT period FROM close_periods WHERE status = 'open' FOR SHARE) "
            "UPDATE close_clicks c SET weight = :weight, owner_id = COALESCE(:owner, c.owner_id) "
            "FROM open_periods o WHERE c.period = o.period AND c.thing_id = :thing "
            "AND (c.weight <> :weight OR c.owner_id IS DISTINCT FROM COALESCE(:owner, c.owner_id))"
        ),
        {"thing": thing_id, "owner": owner_id, "weight": weight},
    )


async def upsert_thing(session: AsyncSession, thing_id: str, owner_id: str | None, weight: int) -> ProjectedThing:
    """Record a thing's owner and weight; an owner once known is never forgotten (claims are final)."""
    stmt = insert(ProjectedThing).values(thing_id=thing_id, owner_id=owner_id, weight=weight)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[ProjectedThing.thing_id],
            set_={
                "owner_id": text("COALESCE(excluded.owner_id, close_things.owner_id)"),
                "weight": stmt.excluded.weight,
                "updated_at": text("now()"),
            },
        )
    )
    thing = (await session.execute(select(ProjectedThing).where(ProjectedThing.thing_id == thing_id))).scalar_one()
    await _refresh_open_clicks(session, thing_id, thing.owner_id, thing.weight)
    return thing


async def on_thing_state(session: AsyncSession, received: Received) -> None:
    event = received.event
    assert isinstance(event, ThingState)
    await upsert_thing(session, event.thing_id, event.owner_id, event.weight)


async def on_thing_claimed(session: AsyncSession, received: Received) -> None:
    """The thing is the claimant's from now on; what its escrow holds moves to them, less commission."""
    event = received.event
    assert isinstance(event, ThingClaimed)
    existing = (
        await session.execute(select(ProjectedThing.weight).where(ProjectedThing.thing_id == event.thing_id))
    ).scalar_one_or_none()
    await upsert_thing(session, event.thing_id, event.owner_id, existing or 1)
    await release_escrow(session, event.thing_id, event.owner_id, cause=received.envelope.id)


async def on_period_sealed(session: AsyncSession, received: Received) -> None:
    """A seal marker: remember it; when every partition's marker agrees with the projection, start the close."""
    event = received.event
    assert isinstance(event, PeriodSealed)
    if event.partition != received.partition:
        log.warning(
            "seal_marker_on_unexpected_partition",
            period=event.period,
            marker_partition=event.partition,
            arrived_on=received.partition,
        )
    await period_status_for_share(session, event.period)
    values = {
        "partitions": event.partitions,
        "click_count": event.click_count,
        "revoked_count": event.revoked_count,
    }
    await session.execute(
        insert(SealMarker)
        .values(period=event.period, partition=received.partition, **values)
        .on_conflict_do_update(index_elements=[SealMarker.period, SealMarker.partition], set_=values)
    )
    await evaluate_auto_start(session, event.period)
