"""Escrow of unclaimed things: released to the claimant (less commission) or refunded to its patrons.

Every unclaimed share is recorded per (thing, period, patron) next to the ledger's escrow
account (``repository.record_contributions``, by the close), so that a refund returns exactly
what each patron paid in.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.settlement import EscrowRefunded
from trickle_settlement.commission import commission_of
from trickle_settlement.escrow import repository
from trickle_settlement.escrow.models import EscrowContribution
from trickle_settlement.ledger import chart
from trickle_settlement.ledger.posting import Leg, NewEntry, PostedEntry, post_entry
from trickle_settlement.outbox import OUTBOX
from trickle_settlement.projections.accounts import commission_rate


async def release_escrow(session: AsyncSession, thing_id: str, owner_id: str, *, cause: str) -> PostedEntry | None:
    """Move what ``thing_id``'s escrow holds to its claimant ``owner_id``, commission applied on the total."""
    held = await repository.held_for_thing(session, thing_id)
    if not held:
        return None
    currency = held[0].currency
    total = sum(c.amount for c in held)
    commission = commission_of(total, await commission_rate(session, owner_id))
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
    await repository.mark(session, held, status="released", settled_by=key)
    return posted


async def sweep_claimed_escrow(session: AsyncSession, period: str) -> int:
    """Release escrow that reached things claimed while their period was closing; returns how many things."""
    claimed = await repository.claimed_things_holding_escrow(session)
    for thing_id, owner_id in claimed:
        await release_escrow(session, thing_id, owner_id, cause=f"close:{period}")
    return len(claimed)


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
    held = await repository.unclaimed_held_up_to(session, period_shift(closed_period, -after_periods))
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
        await repository.mark(session, contributions, status="refunded", settled_by=key)
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
