"""The escrow's reads and writes: contributions recorded by the close, found held, marked settled."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, text, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_settlement.escrow.models import EscrowContribution
from trickle_settlement.projections.models import ProjectedThing

_RECORD = text(
    "INSERT INTO close_escrow_contributions (thing_id, period, patron_id, amount, currency) "
    "SELECT t, :period, p, a, c FROM unnest(CAST(:things AS text[]), CAST(:patrons AS text[]), "
    "CAST(:amounts AS bigint[]), CAST(:currencies AS text[])) AS u(t, p, a, c) "
    "ON CONFLICT DO NOTHING"
)


async def record_contributions(
    session: AsyncSession, period: str, contributions: Sequence[tuple[str, str, int, str]]
) -> None:
    """Record (thing, patron, amount, currency) paid into escrow in ``period`` (one statement; replays skipped)."""
    if not contributions:
        return
    await session.execute(
        _RECORD,
        {
            "period": period,
            "things": [c[0] for c in contributions],
            "patrons": [c[1] for c in contributions],
            "amounts": [c[2] for c in contributions],
            "currencies": [c[3] for c in contributions],
        },
    )


async def held_for_thing(session: AsyncSession, thing_id: str) -> list[EscrowContribution]:
    """What ``thing_id``'s escrow holds, locked, oldest period first."""
    rows = await session.execute(
        select(EscrowContribution)
        .where(EscrowContribution.thing_id == thing_id, EscrowContribution.status == "held")
        .order_by(EscrowContribution.period, EscrowContribution.patron_id)
        .with_for_update()
    )
    return list(rows.scalars())


async def claimed_things_holding_escrow(session: AsyncSession) -> list[tuple[str, str]]:
    """(thing, owner) of claimed things whose escrow still holds something."""
    rows = await session.execute(
        select(EscrowContribution.thing_id, ProjectedThing.owner_id)
        .join(ProjectedThing, ProjectedThing.thing_id == EscrowContribution.thing_id)
        .where(EscrowContribution.status == "held", ProjectedThing.owner_id.is_not(None))
        .distinct()
        .order_by(EscrowContribution.thing_id)
    )
    return [(thing_id, owner_id) for thing_id, owner_id in rows.tuples() if owner_id is not None]


async def unclaimed_held_up_to(session: AsyncSession, cutoff: str) -> list[EscrowContribution]:
    """Held contributions of unclaimed things paid in ``cutoff`` or before, locked."""
    rows = await session.execute(
        select(EscrowContribution)
        .outerjoin(ProjectedThing, ProjectedThing.thing_id == EscrowContribution.thing_id)
        .where(
            EscrowContribution.status == "held",
            EscrowContribution.period <= cutoff,
            ProjectedThing.owner_id.is_(None),
        )
        .order_by(EscrowContribution.thing_id, EscrowContribution.period, EscrowContribution.patron_id)
        .with_for_update(of=EscrowContribution)
    )
    return list(rows.scalars())


async def mark(
    session: AsyncSession, contributions: Sequence[EscrowContribution], *, status: str, settled_by: str
) -> None:
    """Mark exactly the contributions that were locked and moved: one a close batch committed
    since (it waited on the escrow balance lock) stays held for the next release."""
    await session.execute(
        update(EscrowContribution)
        .where(
            tuple_(EscrowContribution.thing_id, EscrowContribution.period, EscrowContribution.patron_id).in_(
                [(c.thing_id, c.period, c.patron_id) for c in contributions]
            )
        )
        .values(status=status, settled_by=settled_by)
        .execution_options(synchronize_session=False)
    )
