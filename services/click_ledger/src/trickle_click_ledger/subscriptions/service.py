"""Subscriptions: an automatic click on a thing at the opening of each of 3, 6 or 12 periods.

Exactly once per subscription and period: the ``subscription_periods`` primary key is the
guard. The job claims a batch of (subscription, period) rows with INSERT … ON CONFLICT DO
NOTHING and registers their clicks in the same transaction, so a crash loses or repeats
nothing, and a second worker running the same job waits on the first one's rows and
skips them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import DateTime, Select, and_, exists, literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_click_ledger.clicks.service import ensure_may_click, self_click
from trickle_click_ledger.clicks.writer import new_click, write_batch
from trickle_click_ledger.models import Account, Period, Subscription, SubscriptionPeriod
from trickle_click_ledger.periods.calendar import add_periods
from trickle_click_ledger.periods.lock import current_period_locked, lock_calendar_shared
from trickle_click_ledger.things import service as things
from trickle_kit.auth import Principal
from trickle_kit.envelope import utcnow
from trickle_kit.ids import new_id
from trickle_kit.pagination import PageParams, paginate
from trickle_kit.problems import not_found
from trickle_kit.readable import Reader


def _due(period: str) -> Select[str]:
    """Subscriptions active in ``period`` whose automatic click is not done."""
    return select(Subscription.id).where(
        Subscription.cancelled_at.is_(None),
        Subscription.first_period <= period,
        Subscription.last_period >= period,
        ~exists().where(
            and_(SubscriptionPeriod.subscription_id == Subscription.id, SubscriptionPeriod.period == period)
        ),
    )


async def any_due(session: AsyncSession, period: str) -> bool:
    return bool((await session.execute(select(exists(_due(period))))).scalar_one())


async def grant_clicks(session: AsyncSession, period: str, *, partitions: int, limit: int | None, now: datetime) -> int:
    """One batch of the job for ``period``: claim up to ``limit`` due subscriptions, click for them.

    The caller holds the calendar lock (shared or exclusive) and ``period`` is open.
    Subscriptions another job is handling right now are skipped (SKIP LOCKED).
    Returns how many subscriptions were claimed.
    """
    due = _due(period).order_by(Subscription.id).with_for_update(skip_locked=True, of=Subscription)
    if limit is not None:
        due = due.limit(limit)
    source = select(due.subquery().c.id, literal(period), literal(now, DateTime(timezone=True)))
    stmt = (
        insert(SubscriptionPeriod)
        .from_select(["subscription_id", "period", "created_at"], source)
        .on_conflict_do_nothing()
        .returning(SubscriptionPeriod.subscription_id)
    )
    claimed = list((await session.execute(stmt)).scalars())
    if not claimed:
        return 0
    subscriptions = (
        await session.execute(select(Subscription).where(Subscription.id.in_(claimed)).order_by(Subscription.id))
    ).scalars()
    await _click_for(session, list(subscriptions), partitions, now)
    return len(claimed)


async def _click_for(
    session: AsyncSession, subscriptions: Sequence[Subscription], partitions: int, now: datetime
) -> None:
    """Each subscription's automatic click in the open period, one batch (a thing the patron
    came to own gets none, nor does a suspended patron: that period is passed over), noted on its
    ``subscription_periods`` row."""
    patrons = sorted({s.patron_id for s in subscriptions})
    suspended = set(
        (await session.execute(select(Account.id).where(Account.id.in_(patrons), Account.suspended))).scalars()
    )
    clicks = [
        new_click(s.patron_id, s.thing_id, partitions=partitions, now=now, subscription_id=s.id)
        for s in subscriptions
        if s.patron_id not in suspended
    ]
    inserted = await write_batch(session, clicks)
    if inserted:
        await session.execute(
            update(SubscriptionPeriod),
            [{"subscription_id": c.subscription_id, "period": c.period, "click_id": c.id} for c in inserted],
        )


async def run_opening_job(
    sessions: async_sessionmaker[AsyncSession],
    *,
    partitions: int,
    batch_size: int,
    max_batches: int | None = None,
) -> int:
    """Give every subscription active in the open period its automatic click, in batches.

    Each batch is its own transaction; safe to run concurrently and to interrupt (a new run
    continues where it stopped). Returns how many subscriptions this run handled.
    """
    handled = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        now = utcnow()
        async with sessions() as session, session.begin():
            period = await current_period_locked(session, now)
            done_at = (
                await session.execute(select(Period.subscriptions_done_at).where(Period.id == period))
            ).scalar_one()
            if done_at is not None:
                return handled
            n = await grant_clicks(session, period, partitions=partitions, limit=batch_size, now=now)
            if n == 0:
                # Nothing claimable: done, unless another job still holds some (it finishes them).
                if not await any_due(session, period):
                    await session.execute(update(Period).where(Period.id == period).values(subscriptions_done_at=now))
                return handled
        handled += n
        batches += 1
    return handled


async def create_subscription(
    session: AsyncSession, *, patron_id: str, thing_id: str, periods: int, partitions: int
) -> Subscription:
    """Subscribe from the open period on; its automatic click for the open period is registered now."""
    await ensure_may_click(session, patron_id)
    thing = await things.get_thing(session, thing_id)
    if thing.owner_id == patron_id:
        raise self_click(thing.id)
    now = utcnow()
    period = await current_period_locked(session, now)
    subscription = Subscription(
        id=new_id("sub"),
        patron_id=patron_id,
        thing_id=thing.id,
        periods=periods,
        first_period=period,
        last_period=add_periods(period, periods - 1),
        created_at=now,
    )
    session.add(subscription)
    await session.flush()
    session.add(SubscriptionPeriod(subscription_id=subscription.id, period=period, created_at=now))
    await session.flush()
    await _click_for(session, [subscription], partitions, now)
    return subscription


async def get_subscription(session: AsyncSession, principal: Principal, subscription_id: str) -> Subscription:
    sub = (await session.execute(select(Subscription).where(Subscription.id == subscription_id))).scalar_one_or_none()
    if sub is None or not Reader.of(principal).holds(sub.patron_id):
        raise not_found("Subscription", subscription_id)
    return sub


async def cancel_subscription(session: AsyncSession, principal: Principal, subscription_id: str) -> Subscription:
    """No automatic clicks after this; clicks already registered stay (revocable like any click)."""
    await lock_calendar_shared(session)
    sub = await get_subscription(session, principal, subscription_id)
    if sub.cancelled_at is None:
        sub.cancelled_at = utcnow()
        await session.flush()
    return sub


async def list_subscriptions(
    session: AsyncSession, *, patron_id: str, page: PageParams
) -> tuple[list[Subscription], bool]:
    rows, has_more = await paginate(
        session, select(Subscription).where(Subscription.patron_id == patron_id), Subscription.id, page
    )
    return list(rows), has_more
