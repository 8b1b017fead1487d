"""Escrow of unclaimed things: released to the claimant (less commission) or refunded to its patrons.

Every unclaimed share is recorded per (thing, period, patron) next to the ledger's escrow
account, so that a refund returns exactly what each patron paid in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select, text, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.settlement import EscrowRefunded
from trickle_settlement.close.models import EscrowContribution, ProjectedThing
from trickle_settlement.ledger import chart
from trickle_settlement.ledger.posting import Leg, NewEntry, PostedEntry, post_entry
from trickle_settlement.outbox import OUTBOX
from trickle_settlement.split import DEFAULT_COMMISSION_BPS, commission_of


async def commission_rates(session: AsyncSession, account_ids: list[str]) -> dict[str, int]:
    """Commission rate (bps) of each account: 0 for non-profits, the account's rate, or the default."""
    if not account_ids:
        return {}
    rows = await session.execute(
        text(
            "SELECT account_id, non_profit, commission_bps FROM account_profiles "
            "WHERE account_id = ANY(CAST(:ids AS text[]))"
        ),
        {"ids": account_ids},
    )
    rates = {a: DEFAULT_COMMISSION_BPS for a in account_ids}
    for account_id, non_profit, bps in rows.tuples():
        rates[account_id] = 0 if non_profit else bps
    return rates


async def release_escrow(session: AsyncSession, thing_id: str, owner_id: str, *, cause: str) -> PostedEntry | None:
    """Move what ``thing_id``'s escrow holds to its claimant ``owner_id``, commission applied on the total."""
    held = (
        (
            await session.execute(
                select(EscrowContribution)
                .where(EscrowContribution.thing_id == thing_id, EscrowContribution.status == "held")
                .order_by(EscrowContribution.period, EscrowContribution.patron_id)
                .with_for_update()
            )
        )
        .scalars()
        .all()
    )
    if not held:
        return None
    currency = held[0].currency
    total = sum(c.amount for c in held)
    rate = (await commission_rates(session, [owner_id]))[owner_id]
    commission = commission_of(total, rate)
    key = f"escrow-claim:{thing_id}:{cause}"
    posted = await post_entry(
        session,
        NewEntry(
            idempotency_key=key,
            kind="escrow_release",
            currency=currency,
            reference=thing_id,
            legs=[
                Leg(chart.escrow(thing_id, currency), total),
                Leg(chart.creator_earnings(owner_id, currency), -(total - commission)),
                Leg(chart.platform_commission(currency), -commission),
            ],
        ),
    )
    await _mark(session, held, status="released", settled_by=key)
    return posted


async def _mark(
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


async def sweep_claimed_escrow(session: AsyncSession, period: str) -> int:
    """Release escrow that reached things claimed while their period was closing; returns how many things."""
    rows = (
        await session.execute(
            select(EscrowContribution.thing_id, ProjectedThing.owner_id)
            .join(ProjectedThing, ProjectedThing.thing_id == EscrowContribution.thing_id)
            .where(EscrowContribution.status == "held", ProjectedThing.owner_id.is_not(None))
            .distinct()
            .order_by(EscrowContribution.thing_id)
        )
    ).all()
    for thing_id, owner_id in rows:
        assert owner_id is not None
        await release_escrow(session, thing_id, owner_id, cause=f"close:{period}")
    return len(rows)


def period_shift(period: str, months: int) -> str:
    """``YYYY-MM`` moved by ``months`` (negative: earlier)."""
    year, month = (int(p) for p in period.split("-"))
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


async def refund_stale_escrow(session: AsyncSession, closed_period: str, after_periods: int) -> int:
    """Refund escrow of unclaimed things paid in ``after_periods`` or more periods before ``closed_period``.

    One entry per (thing, period paid in): the escrow back to each patron, exactly what each paid.
    Returns how many entries were posted.
    """
    cutoff = period_shift(closed_period, -after_periods)
    held = (
        (
            await session.execute(
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
        )
        .scalars()
        .all()
    )
    groups: dict[tuple[str, str, str], list[EscrowContribution]] = defaultdict(list)
    for c in held:
        groups[(c.thing_id, c.period, c.currency)].append(c)
    for (thing_id, paid_in, currency), contributions in groups.items():
        key = f"escrow-refund:{thing_id}:{paid_in}"
        total = sum(c.amount for c in contributions)
        posted = await post_entry(
            session,
            NewEntry(
                idempotency_key=key,
                kind="escrow_refund",
                currency=currency,
                reference=thing_id,
                period=paid_in,
                legs=[
                    Leg(chart.escrow(thing_id, currency), total),
                    *(Leg(chart.patron_wallet(c.patron_id, currency), -c.amount) for c in contributions),
                ],
            ),
        )
        await _mark(session, contributions, status="refunded", settled_by=key)
        await OUTBOX.add(
            session,
            EscrowRefunded(
                thing_id=thing_id,
                entry_id=posted.id,
                refunds={c.patron_id: c.amount for c in contributions},
                currency=currency,
            ),
        )
    return len(groups)
