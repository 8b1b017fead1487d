"""The clicks projection: each click of a period as the close settles it (``clicks.click.*`` handlers).

Every click record is also counted per (period, Kafka partition) for the close's gate, which
starts a close only when every partition's seal marker agrees with those counts.
"""

from __future__ import annotations

import structlog
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.clicks import ClickRegistered, ClickRevoked
from trickle_kit.inbox import Received
from trickle_settlement.close import gate
from trickle_settlement.projections.models import ProjectedClick
from trickle_settlement.projections.things import reconcile_clicks

log = structlog.get_logger("trickle.settlement.close")


async def on_click_registered(session: AsyncSession, received: Received) -> None:
    event = received.event
    assert isinstance(event, ClickRegistered)
    period = await gate.period_for_share(session, event.period)
    await gate.count_click(session, event.period, received.partition, registered=1)
    if period.status != "open":
        log.warning("click_after_close_started", period=event.period, click_id=event.click_id)
        return
    values = {
        "period": event.period,
        "patron_id": event.patron_id,
        "thing_id": event.thing_id,
        "owner_id": event.owner_id,
        "weight": event.weight,
        "clicked_at": event.clicked_at,
        "revoked_at": None,
    }
    await session.execute(
        insert(ProjectedClick)
        .values(click_id=event.click_id, **values)
        .on_conflict_do_update(index_elements=[ProjectedClick.click_id], set_=values)
    )
    await reconcile_clicks(session, click_id=event.click_id)
    await gate.recount(session, period)


async def on_click_revoked(session: AsyncSession, received: Received) -> None:
    event = received.event
    assert isinstance(event, ClickRevoked)
    period = await gate.period_for_share(session, event.period)
    await gate.count_click(session, event.period, received.partition, revoked=1)
    if period.status != "open":
        log.warning("revocation_after_close_started", period=event.period, click_id=event.click_id)
        return
    await session.execute(
        update(ProjectedClick).where(ProjectedClick.click_id == event.click_id).values(revoked_at=event.revoked_at)
    )
    await gate.recount(session, period)
