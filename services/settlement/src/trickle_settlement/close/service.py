"""The period close: start it (automatically from seal markers, or by an operator) and run it, resumably.

Starting a close is one transaction: the period goes ``open`` → ``closing`` and its clicks'
owner/weight are frozen from the things projection. Running it walks the period's patrons in
patron-id order, in batches: each batch, in ONE transaction, posts one entry per patron
(``settle:<period>:<patron>``), records escrow contributions, stages the events, adds to the
totals and moves the cursor. A run killed anywhere loses at most its open batch; the next run
continues from the cursor, and the idempotency keys make a replayed batch harmless. When
every patron is done, one last transaction sweeps escrow of things claimed meanwhile, refunds
stale escrow, marks the period ``closed`` and publishes ``settlement.period.closed``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import structlog
from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_events.settlement import PatronSettled, PeriodClosed, Share
from trickle_kit.envelope import utcnow
from trickle_kit.money import Money
from trickle_settlement import staged
from trickle_settlement.close.escrow import commission_rates, refund_stale_escrow, sweep_claimed_escrow
from trickle_settlement.close.models import PartitionCount, PeriodClose, SealMarker
from trickle_settlement.ledger import chart
from trickle_settlement.ledger.posting import Leg, NewEntry, post_entries
from trickle_settlement.outbox import OUTBOX
from trickle_settlement.split import Budget, Split, SplitClick, split_budget

log = structlog.get_logger("trickle.settlement.close")

# Advisory lock namespace of close runs (one runner per period).
_RUN_LOCK = 0x5E771E


@dataclass(frozen=True)
class CloseConfig:
    batch_patrons: int = 5000
    refund_after_periods: int = 6
    currency: str = "EUR"


class CloseNotStartable(Exception):
    """The operator asked to close a period that is already closing or closed."""

    def __init__(self, period: str, status: str) -> None:
        super().__init__(f"period {period} is {status}")
        self.period = period
        self.status = status


# ---- test hook: die at the n-th kill point (crash tests) ----

_KILL_AT = os.environ.get("TRICKLE_SETTLEMENT_CLOSE_KILL_AT", "")
_kill_name, _, _kill_n = _KILL_AT.rpartition(":")
_kill_seen = 0


def _kill_point(name: str) -> None:
    """Crash-test hook: ``TRICKLE_SETTLEMENT_CLOSE_KILL_AT=n`` SIGKILLs this process at the n-th kill point,
    ``=<name>:n`` at the n-th kill point of that name (``before_posting``, ``entries_posted``, ``events_staged``,
    ``batch_committed``, ``finish``)."""
    global _kill_seen
    if not _kill_n or (_kill_name and _kill_name != name):
        return
    _kill_seen += 1
    if _kill_seen == int(_kill_n):
        log.warning("close_killed_by_hook", point=name, n=_kill_seen)
        os.kill(os.getpid(), signal.SIGKILL)


# ---- starting ----


async def _lock_period(session: AsyncSession, period: str) -> PeriodClose:
    await session.execute(insert(PeriodClose).values(period=period).on_conflict_do_nothing())
    return (
        await session.execute(
            select(PeriodClose)
            .where(PeriodClose.period == period)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one()


async def _freeze_clicks(session: AsyncSession, period: str) -> None:
    """The owner and weight each click settles with: the things projection as of the start of the close."""
    await session.execute(
        text(
            "UPDATE close_clicks c SET owner_id = COALESCE(t.owner_id, c.owner_id), weight = t.weight "
            "FROM close_things t WHERE c.thing_id = t.thing_id AND c.period = :period "
            "AND (c.weight <> t.weight OR c.owner_id IS DISTINCT FROM COALESCE(t.owner_id, c.owner_id))"
        ),
        {"period": period},
    )


async def start_close(session: AsyncSession, period: str, started_by: str) -> PeriodClose:
    """``open`` → ``closing`` (clicks frozen); raises ``CloseNotStartable`` when it is not open."""
    row = await _lock_period(session, period)
    if row.status != "open":
        raise CloseNotStartable(period, row.status)
    await _freeze_clicks(session, period)
    row.status = "closing"
    row.started_by = started_by
    row.reason = None
    row.started_at = utcnow()
    row.updated_at = utcnow()
    await session.flush()
    log.info("close_started", period=period, started_by=started_by)
    return row


async def evaluate_auto_start(session: AsyncSession, period: str) -> bool:
    """Start the close when every partition's seal marker is in and agrees with the projected counts.

    Otherwise record on the period why it waits (shown by ``GET /v1/periods/{period}``).
    """
    row = await _lock_period(session, period)
    if row.status != "open":
        return False
    markers = (await session.execute(select(SealMarker).where(SealMarker.period == period))).scalars().all()
    counts = {
        c.partition: c
        for c in (await session.execute(select(PartitionCount).where(PartitionCount.period == period))).scalars()
    }
    reason = _waiting_reason(markers, counts)
    if reason is None:
        await start_close(session, period, "seal_markers")
        return True
    row.reason = reason
    row.updated_at = utcnow()
    return False


def _waiting_reason(markers: Sequence[SealMarker], counts: dict[int, PartitionCount]) -> str | None:
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
        return "count mismatch: " + "; ".join(mismatches)
    return None


# ---- running ----


async def _next_patrons(session: AsyncSession, period: str, after: str | None, limit: int) -> list[str]:
    rows = await session.execute(
        text(
            "SELECT DISTINCT patron_id FROM close_clicks WHERE period = :period AND revoked_at IS NULL "
            "AND patron_id > :after ORDER BY patron_id LIMIT :limit"
        ),
        {"period": period, "after": after or "", "limit": limit},
    )
    return [r[0] for r in rows]


async def _clicks_of(session: AsyncSession, period: str, after: str | None, last: str) -> dict[str, list[SplitClick]]:
    # Straight from the driver: a batch is tens of thousands of rows, and SQLAlchemy's row
    # processing cost more than the query.
    connection = await session.connection()
    raw = (await connection.get_raw_connection()).driver_connection
    rows = await raw.fetch(  # type: ignore[union-attr]
        "SELECT patron_id, click_id, thing_id, owner_id, weight, clicked_at FROM close_clicks "
        "WHERE period = $1 AND revoked_at IS NULL AND patron_id > $2 AND patron_id <= $3",
        period,
        after or "",
        last,
    )
    clicks: dict[str, list[SplitClick]] = defaultdict(list)
    for n, (patron_id, click_id, thing_id, owner_id, weight, clicked_at) in enumerate(rows, 1):
        if n % (_YIELD_EVERY * 20) == 0:
            await asyncio.sleep(0)
        clicks[patron_id].append(SplitClick(click_id, thing_id, weight, clicked_at, owner_id))
    return clicks


async def _budgets_of(session: AsyncSession, patrons: list[str]) -> dict[str, Budgeted]:
    rows = await session.execute(
        text(
            "SELECT account_id, enabled, amount, currency, min_per_click, max_per_month FROM patron_budgets "
            "WHERE account_id = ANY(CAST(:ids AS text[]))"
        ),
        {"ids": patrons},
    )
    return {row[0]: Budgeted(*row) for row in rows.tuples()}


@dataclass(frozen=True, slots=True)
class Budgeted:
    """A patron's budget as the close reads it (``patron_budgets``)."""

    account_id: str
    enabled: bool
    amount: int
    currency: str
    min_per_click: int | None
    max_per_month: int | None


async def _wallet_balances(session: AsyncSession, patrons: list[str], currency: str) -> dict[str, int]:
    ids = [chart.patron_wallet(p, currency).id for p in patrons]
    rows = await session.execute(
        text("SELECT account_id, balance FROM ledger_balances WHERE account_id = ANY(:ids)"), {"ids": ids}
    )
    by_id: dict[str, int] = {str(a): int(b) for a, b in rows.tuples().all()}
    return {p: int(by_id.get(chart.patron_wallet(p, currency).id, 0)) for p in patrons}


def settlement_entry(period: str, patron_id: str, split: Split, currency: str) -> NewEntry:
    """The patron's one entry: debit the wallet S; credit creators g − k, the platform k, escrows."""
    legs = [Leg(chart.patron_wallet(patron_id, currency), split.spend)]
    legs += [Leg(chart.creator_earnings(c.recipient_id, currency), -c.net) for c in split.credits]
    if split.commission:
        legs.append(Leg(chart.platform_commission(currency), -split.commission))
    legs += [Leg(chart.escrow(e.thing_id, currency), -e.gross) for e in split.escrows]
    return NewEntry(
        idempotency_key=f"settle:{period}:{patron_id}",
        kind="settlement",
        currency=currency,
        legs=legs,
        reference=f"{period}:{patron_id}",
        period=period,
    )


# Patrons split between two yields to the event loop (about a millisecond of work).
_YIELD_EVERY = 100


@dataclass(frozen=True)
class _Batch:
    """The next patrons after ``after`` and their splits, read and computed before the batch's transaction."""

    after: str | None
    patrons: list[str]
    splits: list[tuple[str, Split, str]]
    entries: list[NewEntry]


async def _prepare_batch(session: AsyncSession, period: str, after: str | None, config: CloseConfig) -> _Batch:
    """Read the patrons after ``after``, their clicks, budgets, balances and rates; split (no writes, no locks).

    The split uses the wallet balances as read here; ``post_entries`` checks them again
    under the balance locks, so a wallet debited meanwhile fails the batch (retried) instead of
    going negative — as when the reads happen inside the batch's transaction.
    """
    patrons = await _next_patrons(session, period, after, config.batch_patrons)
    if not patrons:
        return _Batch(after, [], [], [])
    clicks = await _clicks_of(session, period, after, patrons[-1])
    budgets = await _budgets_of(session, patrons)
    recipients = sorted({c.recipient_id for cs in clicks.values() for c in cs if c.recipient_id})
    rates = await commission_rates(session, recipients)
    balances: dict[str, int] = {}
    for currency in {b.currency for b in budgets.values()}:
        in_currency = [p for p in patrons if p in budgets and budgets[p].currency == currency]
        balances.update(await _wallet_balances(session, in_currency, currency))
    splits: list[tuple[str, Split, str]] = []
    for n, patron_id in enumerate(patrons, 1):
        if n % _YIELD_EVERY == 0:
            # Read ahead while a batch writes: hand the loop back now and then, so the writer
            # sends its next statement as soon as the database answers the last one.
            await asyncio.sleep(0)
        budget = budgets.get(patron_id)
        if budget is None or not budget.enabled:
            continue
        split = split_budget(
            clicks.get(patron_id, []),
            Budget(
                amount=budget.amount,
                available=balances.get(patron_id, 0),
                min_per_click=budget.min_per_click or 0,
                max_per_month=budget.max_per_month,
            ),
            rates,
        )
        if split.spend > 0:
            splits.append((patron_id, split, budget.currency))
    entries = [settlement_entry(period, patron_id, split, currency) for patron_id, split, currency in splits]
    return _Batch(after, patrons, splits, entries)


async def _settle_batch(session: AsyncSession, period: str, batch: _Batch) -> tuple[int, int, int, int]:
    """Post the batch's entries; returns (patrons settled, spent, commission, escrow)."""
    splits = batch.splits
    _kill_point("before_posting")
    posted = await post_entries(session, batch.entries)
    _kill_point("entries_posted")
    await OUTBOX.copy_many(
        session,
        [
            staged_patron_settled(period, patron_id, entry.id, split, currency)
            for (patron_id, split, currency), entry in zip(splits, posted, strict=True)
        ],
    )
    contributions = [
        (e.thing_id, patron_id, e.gross, currency) for patron_id, split, currency in splits for e in split.escrows
    ]
    if contributions:
        await session.execute(
            text(
                "INSERT INTO close_escrow_contributions (thing_id, period, patron_id, amount, currency) "
                "SELECT t, :period, p, a, c FROM unnest(CAST(:things AS text[]), CAST(:patrons AS text[]), "
                "CAST(:amounts AS bigint[]), CAST(:currencies AS text[])) AS u(t, p, a, c) "
                "ON CONFLICT DO NOTHING"
            ),
            {
                "period": period,
                "things": [c[0] for c in contributions],
                "patrons": [c[1] for c in contributions],
                "amounts": [c[2] for c in contributions],
                "currencies": [c[3] for c in contributions],
            },
        )
    _kill_point("events_staged")
    settled = len(splits)
    spent = sum(split.spend for _, split, _ in splits)
    commission = sum(split.commission for _, split, _ in splits)
    escrow = sum(split.escrow for _, split, _ in splits)
    return settled, spent, commission, escrow


def patron_settled_event(period: str, patron_id: str, entry_id: str, split: Split, currency: str) -> PatronSettled:
    return PatronSettled(
        period=period,
        patron_id=patron_id,
        entry_id=entry_id,
        spent=Money(amount=split.spend, currency=currency),
        shares=[
            Share(thing_id=s.thing_id, click_id=s.click_id, recipient_id=s.recipient_id, gross=s.gross)
            for s in split.shares
        ],
        recipient_ids=[c.recipient_id for c in split.credits],
    )


def staged_patron_settled(
    period: str, patron_id: str, entry_id: str, split: Split, currency: str
) -> staged.StagedPatronSettled:
    """``patron_settled_event`` with its payload built directly (the close's bulk path)."""
    return staged.patron_settled(
        period=period,
        patron_id=patron_id,
        entry_id=entry_id,
        spent=split.spend,
        currency=currency,
        shares=[(s.thing_id, s.click_id, s.recipient_id, s.gross) for s in split.shares],
        recipient_ids=[c.recipient_id for c in split.credits],
    )


async def run_close(
    sessions: async_sessionmaker[AsyncSession], period: str, config: CloseConfig | None = None
) -> PeriodClose:
    """Run (or resume) the close of a ``closing`` period to the end; a no-op for a closed one.

    Batches are pipelined: while one batch's transaction writes, the next batch is read and
    split on the runner's own connection (reads only), so the database's work and the
    split's overlap. A prepared batch is used only if it starts at the committed cursor.
    """
    config = config or CloseConfig()
    async with sessions() as lock_session:
        # One runner per period: a second one waits here, then finds the work done.
        await lock_session.execute(select(func.pg_advisory_lock(_RUN_LOCK, func.hashtext(period))))
        ahead: asyncio.Task[_Batch] | None = None
        try:
            while True:
                async with sessions() as session, session.begin():
                    row = await _lock_period(session, period)
                    if row.status != "closing":
                        return row
                    after = row.last_patron_id
                    batch = await ahead if ahead is not None else None
                    ahead = None
                    if batch is None or batch.after != after:
                        batch = await _prepare_batch(session, period, after, config)
                    if not batch.patrons:
                        await _finish(session, row, config)
                        return row
                    ahead = asyncio.create_task(_prepare_batch(lock_session, period, batch.patrons[-1], config))
                    settled, spent, commission, escrow = await _settle_batch(session, period, batch)
                    row.last_patron_id = batch.patrons[-1]
                    row.patrons_settled += settled
                    row.total_spent += spent
                    row.total_commission += commission
                    row.total_escrow += escrow
                    row.updated_at = utcnow()
                _kill_point("batch_committed")
        finally:
            if ahead is not None:
                # Let the read-ahead finish (it only reads) before the connection is used again.
                with contextlib.suppress(Exception):
                    await ahead
            await lock_session.execute(select(func.pg_advisory_unlock(_RUN_LOCK, func.hashtext(period))))
            await lock_session.commit()


async def _finish(session: AsyncSession, row: PeriodClose, config: CloseConfig) -> None:
    await sweep_claimed_escrow(session, row.period)
    await refund_stale_escrow(session, row.period, config.refund_after_periods)
    row.status = "closed"
    row.closed_at = utcnow()
    row.updated_at = utcnow()
    await session.flush()
    await OUTBOX.add(
        session,
        PeriodClosed(
            period=row.period,
            patrons_settled=row.patrons_settled,
            total_spent=Money(amount=row.total_spent, currency=config.currency),
            total_commission=Money(amount=row.total_commission, currency=config.currency),
            total_escrow=Money(amount=row.total_escrow, currency=config.currency),
        ),
    )
    _kill_point("finish")
    log.info("period_closed", period=row.period, patrons=row.patrons_settled, spent=row.total_spent)


async def periods_to_run(session: AsyncSession) -> list[str]:
    """Periods whose close has started and not finished (the worker's runner picks them up)."""
    rows = await session.execute(select(PeriodClose.period).where(PeriodClose.status == "closing"))
    return sorted(rows.scalars())


async def get_period(session: AsyncSession, period: str) -> PeriodClose | None:
    return (await session.execute(select(PeriodClose).where(PeriodClose.period == period))).scalar_one_or_none()
