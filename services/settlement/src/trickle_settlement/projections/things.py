"""The things projection: each thing's owner and weight (``clicks.thing.*``), and the one rule
reconciling a click with its thing.

The rule: a click settles with its thing's projected weight, and with the thing's owner once
one is known; an owner once known is never forgotten (claims are final). It is applied by
``reconcile_clicks`` alone: to a click when it arrives, to the open periods' clicks of a thing
when the thing changes, and to a whole period when its close starts (which freezes it).
"""

from __future__ import annotations

from sqlalchemy import TextClause, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.clicks import ThingClaimed, ThingState
from trickle_kit.inbox import Received
from trickle_settlement.escrow.service import release_escrow
from trickle_settlement.projections.models import ProjectedThing


def _reconcile(scope: str, *, open_periods_only: bool = False) -> TextClause:
    """The rule as one UPDATE of the clicks in ``scope`` (a condition on ``c``, the click)."""
    sql = (
        "UPDATE close_clicks c SET owner_id = COALESCE(t.owner_id, c.owner_id), weight = t.weight "
        "FROM close_things t{periods} WHERE c.thing_id = t.thing_id AND {scope}{in_open} "
        "AND (c.weight <> t.weight OR c.owner_id IS DISTINCT FROM COALESCE(t.owner_id, c.owner_id))"
    )
    if open_periods_only:
        # Only periods still open: a close freezes its clicks when it starts (share lock on the period rows).
        sql = "WITH open_periods AS (SELECT period FROM close_periods WHERE status = 'open' FOR SHARE) " + sql
    return text(
        sql.format(
            scope=scope,
            periods=", open_periods o" if open_periods_only else "",
            in_open=" AND c.period = o.period" if open_periods_only else "",
        )
    )


_OF_CLICK = _reconcile("c.click_id = :click")
_OF_THING_IN_OPEN_PERIODS = _reconcile("c.thing_id = :thing", open_periods_only=True)
_OF_PERIOD = _reconcile("c.period = :period")


async def reconcile_clicks(
    session: AsyncSession, *, click_id: str | None = None, thing_id: str | None = None, period: str | None = None
) -> None:
    """Apply the rule to one click, to a thing's clicks in open periods, or to a whole period (exactly one)."""
    if [click_id, thing_id, period].count(None) != 2:
        raise ValueError("reconcile one click, one thing or one period")
    if click_id is not None:
        await session.execute(_OF_CLICK, {"click": click_id})
    elif thing_id is not None:
        await session.execute(_OF_THING_IN_OPEN_PERIODS, {"thing": thing_id})
    else:
        await session.execute(_OF_PERIOD, {"period": period})


async def upsert_thing(session: AsyncSession, thing_id: str, owner_id: str | None, weight: int) -> None:
    """Record a thing's owner and weight (an owner once known is kept), then reconcile its open clicks."""
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
    await reconcile_clicks(session, thing_id=thing_id)


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
