"""Reads of the public profile: one query each for the things, their counts and the public supporters."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.creators.schemas import CreatorProfile, PublicSupporter, PublicThing
from trickle_click_ledger.models import Account, Click, Thing
from trickle_click_ledger.periods.service import ensure_open_period
from trickle_kit.envelope import utcnow

MAX_THINGS = 100
MAX_SUPPORTERS = 50


async def creator_profile(session: AsyncSession, account_id: str) -> CreatorProfile:
    """Anybody's profile: an account that owns nothing (or that does not exist) has an empty one,
    so the answer never tells whether an account exists."""
    things = list(
        (
            await session.execute(
                select(Thing).where(Thing.owner_id == account_id).order_by(Thing.created_at, Thing.id).limit(MAX_THINGS)
            )
        ).scalars()
    )
    period = (await ensure_open_period(session, utcnow())).id
    ids = [t.id for t in things]
    counts: dict[str, tuple[int, int]] = {}
    supporters: list[str] = []
    if ids:
        live = Click.thing_id.in_(ids) & Click.revoked_at.is_(None)
        rows = await session.execute(
            select(Click.thing_id, func.count().filter(Click.period == period), func.count())
            .where(live)
            .group_by(Click.thing_id)
        )
        counts = {thing_id: (int(p), int(a)) for thing_id, p, a in rows.all()}
        # Who clicked follows each patron's current choice, as for the creator's own reads;
        # a suspended or deleted account is not shown.
        latest = func.max(Click.created_at)
        supporters = list(
            (
                await session.execute(
                    select(Click.patron_id)
                    .join(Account, Account.id == Click.patron_id)
                    .where(live, Account.giving_public, Account.suspended.is_(False))
                    .group_by(Click.patron_id)
                    .order_by(latest.desc(), Click.patron_id)
                    .limit(MAX_SUPPORTERS)
                )
            ).scalars()
        )
    return CreatorProfile(
        account_id=account_id,
        period=period,
        things=[
            PublicThing(
                id=t.id,
                url=t.url,
                title=t.title,
                category=t.category,
                period_clicks=counts.get(t.id, (0, 0))[0],
                all_time_clicks=counts.get(t.id, (0, 0))[1],
            )
            for t in things
        ],
        supporters=[PublicSupporter(account_id=s) for s in supporters],
    )
