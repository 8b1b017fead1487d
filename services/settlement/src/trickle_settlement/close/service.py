"""The close run: settle a ``closing`` period's patrons to the end, resumably.

Running a close walks the period's patrons in patron-id order, in batches: each batch, in ONE
transaction, posts one entry per patron (``settle:<period>:<patron>``), records escrow
contributions, stages the events, adds to the totals and moves the cursor. A run killed
anywhere loses at most its open batch; the next run continues from the cursor, and the
idempotency keys make a replayed batch harmless. When every patron is done, one last
transaction sweeps escrow of things claimed meanwhile, refunds stale escrow, marks the period
``closed`` and publishes ``settlement.period.closed``. Starting a close is the gate's (``gate``).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_events.settlement import PeriodClosed
from trickle_kit.envelope import utcnow
from trickle_kit.money import Money
from trickle_settlement.close import checkpoints, repository
from trickle_settlement.close.config import CloseConfig
from trickle_settlement.close.entries import settlement_entry, staged_patron_settled
from trickle_settlement.close.models import PeriodClose
from trickle_settlement.escrow import repository as escrow_repository
from trickle_settlement.escrow.service import refund_stale_escrow, sweep_claimed_escrow
from trickle_settlement.ledger import chart
from trickle_settlement.ledger.balances import balances
from trickle_settlement.ledger.journal import NewEntry
from trickle_settlement.ledger.posting import post_entries
from trickle_settlement.outbox import OUTBOX
from trickle_settlement.projections.accounts import budgets_of, commission_rates
from trickle_settlement.split import Budget, Split, split_budget

log = structlog.get_logger("trickle.settlement.close")

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
    patrons = await repository.next_patrons(session, period, after, config.batch_patrons)
    if not patrons:
        return _Batch(after, [], [], [])
    clicks = await repository.clicks_of(session, period, after, patrons[-1])
    budgets = await budgets_of(session, patrons)
    recipients = sorted({c.recipient_id for cs in clicks.values() for c in cs if c.recipient_id})
    rates = await commission_rates(session, recipients)
    wallets = {p: chart.patron_wallet(p, b.currency) for p, b in budgets.items()}
    available = await balances(session, [wallets[p] for p in patrons if p in wallets])
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
                available=available.get(wallets[patron_id].id, 0),
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
    checkpoints.reached("before_posting")
    posted = await post_entries(session, batch.entries)
    checkpoints.reached("entries_posted")
    await OUTBOX.copy_many(
        session,
        [
            staged_patron_settled(period, patron_id, entry.id, split, currency)
            for (patron_id, split, currency), entry in zip(splits, posted, strict=True)
        ],
    )
    await escrow_repository.record_contributions(
        session,
        period,
        [(e.thing_id, patron_id, e.gross, currency) for patron_id, split, currency in splits for e in split.escrows],
    )
    checkpoints.reached("events_staged")
    settled = len(splits)
    spent = sum(split.spend for _, split, _ in splits)
    commission = sum(split.commission for _, split, _ in splits)
    escrow = sum(split.escrow for _, split, _ in splits)
    return settled, spent, commission, escrow


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
        await repository.lock_run(lock_session, period)
        ahead: asyncio.Task[_Batch] | None = None
        try:
            while True:
                async with sessions() as session, session.begin():
                    row = await repository.lock_period(session, period)
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
                checkpoints.reached("batch_committed")
        finally:
            if ahead is not None:
                # Let the read-ahead finish (it only reads) before the connection is used again.
                with contextlib.suppress(Exception):
                    await ahead
            await repository.unlock_run(lock_session, period)
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
    checkpoints.reached("finish")
    log.info("period_closed", period=row.period, patrons=row.patrons_settled, spent=row.total_spent)
