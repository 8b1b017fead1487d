"""The close's gate: seal markers and the click counts they are checked against, and starting a close.

A close starts automatically when every partition's seal marker has arrived and agrees with
the click records projected from that partition, or when an operator asks. Starting is one
transaction: the period goes ``open`` → ``closing``, its clicks are frozen (reconciled
with the things projection one last time), and so are the budgets of its patrons and the
commission terms of its recipients (``projections.accounts.freeze_for_close``): the close
settles with the inputs of its start, whichever worker and batch settles a patron.
"""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.clicks import PeriodSealed
from trickle_kit.envelope import utcnow
from trickle_kit.inbox import Received
from trickle_settlement.close import repository
from trickle_settlement.close.models import PartitionCount, PeriodClose, SealMarker
from trickle_settlement.projections.accounts import freeze_for_close
from trickle_settlement.projections.things import reconcile_clicks

log = structlog.get_logger("trickle.settlement.close")

COUNT_MISMATCH = "count mismatch"


class CloseNotStartable(Exception):
    """The operator asked to close a period that is already closing or closed."""

    def __init__(self, period: str, status: str) -> None:
        super().__init__(f"period {period} is {status}")
        self.period = period
        self.status = status


async def period_for_share(session: AsyncSession, period: str) -> PeriodClose:
    """The period's close row (created open), share-locked: a close cannot start while a click lands."""
    return await repository.share_period(session, period)


async def count_click(
    session: AsyncSession, period: str, partition: int, *, registered: int = 0, revoked: int = 0
) -> None:
    """Count a click record of ``period`` seen on ``partition`` (compared with that partition's seal marker)."""
    await repository.add_to_partition_count(session, period, partition, registered=registered, revoked=revoked)


async def recount(session: AsyncSession, row: PeriodClose) -> None:
    """After a late click record: a period that waited on a count mismatch is evaluated again."""
    if row.reason and row.reason.startswith(COUNT_MISMATCH):
        await evaluate_auto_start(session, row.period)


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
    await period_for_share(session, event.period)
    await repository.record_seal_marker(
        session,
        event.period,
        received.partition,
        partitions=event.partitions,
        click_count=event.click_count,
        revoked_count=event.revoked_count,
    )
    await evaluate_auto_start(session, event.period)


async def start_close(session: AsyncSession, period: str, started_by: str) -> PeriodClose:
    """``open`` → ``closing`` (clicks, budgets and rates frozen); raises ``CloseNotStartable`` when it is not open."""
    row = await repository.lock_period(session, period)
    if row.status != "open":
        raise CloseNotStartable(period, row.status)
    await repository.room_for_period_scans(session)
    # The owner and weight each click settles with: the things projection as of the start of the close.
    await reconcile_clicks(session, period=period)
    await freeze_inputs(session, row)
    await repository.end_period_scans(session)  # the start may run in a consumer's longer transaction
    row.status = "closing"
    row.started_by = started_by
    row.reason = None
    row.started_at = utcnow()
    row.updated_at = utcnow()
    await session.flush()
    log.info("close_started", period=period, started_by=started_by)
    return row


async def freeze_inputs(session: AsyncSession, row: PeriodClose) -> None:
    """Freeze the budgets and commission terms the period's close settles with (its row locked, clicks
    frozen). Also run once for a close that started before inputs were frozen, at its next run."""
    budgets, terms = await freeze_for_close(session, row.period)
    row.inputs_frozen_at = utcnow()
    log.info("close_inputs_frozen", period=row.period, budgets=budgets, commission_terms=terms)


async def evaluate_auto_start(session: AsyncSession, period: str) -> bool:
    """Start the close when every partition's seal marker is in and agrees with the projected counts.

    Otherwise record on the period why it waits (shown by ``GET /v1/periods/{period}``).
    """
    row = await repository.lock_period(session, period)
    if row.status != "open":
        return False
    markers = await repository.seal_markers(session, period)
    counts = await repository.partition_counts(session, period)
    reason = waiting_reason(markers, counts)
    if reason is None:
        await start_close(session, period, "seal_markers")
        return True
    row.reason = reason
    row.updated_at = utcnow()
    return False


def waiting_reason(markers: Sequence[SealMarker], counts: dict[int, PartitionCount]) -> str | None:
    """Why a close cannot start from these markers and counts yet; None when it can."""
    if not markers:
        return "waiting for seal markers"
    partitions = max(m.partitions for m in markers)
    have = {m.partition: m for m in markers}
    missing = [p for p in range(partitions) if p not in have]
    if missing:
        return f"waiting for seal markers from partitions {missing} (have {sorted(have)} of {partitions})"
    mismatches = []
    for p in range(partitions):
        marker, seen = have[p], counts.get(p)
        registered, revoked = (seen.registered, seen.revoked) if seen else (0, 0)
        if (registered, revoked) != (marker.click_count, marker.revoked_count):
            mismatches.append(
                f"partition {p}: marker {marker.click_count} registered/{marker.revoked_count} revoked, "
                f"projected {registered}/{revoked}"
            )
    if mismatches:
        return f"{COUNT_MISMATCH}: " + "; ".join(mismatches)
    return None
