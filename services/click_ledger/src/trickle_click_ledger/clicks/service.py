"""Clicks: at most one live click per patron, thing and period; revocable until the period is sealed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.clicks import repository
from trickle_click_ledger.clicks.partitioning import partition_for
from trickle_click_ledger.models import Click, Period, Thing
from trickle_click_ledger.outbox import OUTBOX
from trickle_click_ledger.periods.repository import current_period_locked, lock_calendar_shared
from trickle_click_ledger.things import service as things
from trickle_events.clicks import ClickRegistered, ClickRevoked
from trickle_kit.auth import Principal
from trickle_kit.envelope import utcnow
from trickle_kit.ids import new_id
from trickle_kit.pagination import PageParams, paginate
from trickle_kit.problems import ProblemError, conflict, not_found
from trickle_kit.readable import Reader

MAX_INSERT_ATTEMPTS = 3


def self_click(thing_id: str) -> ProblemError:
    return ProblemError(422, "self_click", "Self click", f"You own thing {thing_id}; patrons cannot click their own")


def registered_event(click: Click) -> ClickRegistered:
    return ClickRegistered(
        click_id=click.id,
        patron_id=click.patron_id,
        thing_id=click.thing_id,
        owner_id=click.owner_id,
        weight=click.weight,
        period=click.period,
        clicked_at=click.created_at,
        public=click.public,
        subscription_id=click.subscription_id,
    )


async def add_click(
    session: AsyncSession,
    *,
    patron_id: str,
    thing: Thing,
    period: str,
    partitions: int,
    now: datetime,
    subscription_id: str | None = None,
) -> Click | None:
    """Insert a live click and stage its event; None when the patron already has one (caller holds the lock)."""
    partition = partition_for(patron_id, partitions)
    click = await repository.insert_live_click(
        session,
        {
            "id": new_id("clk"),
            "patron_id": patron_id,
            "thing_id": thing.id,
            "period": period,
            "partition": partition,
            "owner_id": thing.owner_id,
            "weight": thing.weight,
            "subscription_id": subscription_id,
            "created_at": now,
        },
    )
    if click is not None:
        await OUTBOX.add(session, registered_event(click), partition=partition)
    return click


async def register_click(
    session: AsyncSession, *, patron_id: str, thing_id: str | None, url: str | None, partitions: int
) -> tuple[Click, bool]:
    """The patron's click on a thing (by id or URL) in the open period; (click, created)."""
    now = utcnow()
    if url is not None:
        thing_id = (await things.thing_for_url(session, url, now)).id
    if thing_id is None:  # the schema requires one of them
        raise ProblemError(422, "validation_error", "Invalid request", "Give thing_id or url")
    partition = partition_for(patron_id, partitions)
    await lock_calendar_shared(session)
    inserted = await repository.insert_many_in_open_period(
        session, [repository.NewClick(new_id("clk"), patron_id, thing_id, partition, now)]
    )
    if inserted:
        await OUTBOX.add(session, registered_event(inserted[0]), partition=partition)
        return inserted[0], True
    # Not inserted: find out why (unknown thing, own thing, no period yet, or clicked already).
    thing = await things.get_thing(session, thing_id)
    if thing.owner_id == patron_id:
        raise self_click(thing.id)
    period = await current_period_locked(session, now)
    for _ in range(MAX_INSERT_ATTEMPTS):
        existing = await repository.live_click(session, patron_id, thing.id, period)
        if existing is not None:  # the usual reason: a repeat click answers the click it repeats
            return existing, False
        click = await add_click(
            session, patron_id=patron_id, thing=thing, period=period, partitions=partitions, now=now
        )
        if click is not None:
            return click, True
    raise conflict("click_contended", "The click changed concurrently; retry")


def _visible(principal: Principal, click: Click | None) -> bool:
    # A click is its patron's history: only the patron (and operators) read it (SPEC 4).
    return click is not None and Reader.of(principal).holds(click.patron_id)


async def get_click(session: AsyncSession, principal: Principal, click_id: str) -> Click:
    click = await repository.get(session, click_id)
    if click is None or not _visible(principal, click):
        raise not_found("Click", click_id)
    return click


async def revoke_click(session: AsyncSession, principal: Principal, click_id: str) -> Click:
    """Revoke the patron's click if its period is still open (repeat revokes return the revoked click)."""
    await lock_calendar_shared(session)
    click = await repository.get(session, click_id, for_update=True)
    if click is None or not _visible(principal, click):
        raise not_found("Click", click_id)
    if click.revoked_at is not None:
        return click
    state = (await session.execute(select(Period.state).where(Period.id == click.period))).scalar_one()
    if state != "open":
        raise conflict("period_sealed", f"Period {click.period} is sealed; its clicks can no longer be revoked")
    click.revoked_at = utcnow()
    await session.flush()
    await OUTBOX.add(
        session,
        ClickRevoked(
            click_id=click.id,
            patron_id=click.patron_id,
            thing_id=click.thing_id,
            owner_id=click.owner_id,
            period=click.period,
            revoked_at=click.revoked_at,
        ),
        partition=click.partition,
    )
    return click


async def list_clicks(
    session: AsyncSession, *, patron_id: str, period: str | None, include_revoked: bool, page: PageParams
) -> tuple[list[Click], bool]:
    stmt = select(Click).where(Click.patron_id == patron_id)
    if period is not None:
        stmt = stmt.where(Click.period == period)
    if not include_revoked:
        stmt = stmt.where(Click.revoked_at.is_(None))
    rows, has_more = await paginate(session, stmt, Click.id, page)
    return list(rows), has_more
