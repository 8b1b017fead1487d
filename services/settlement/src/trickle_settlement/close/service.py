"""The close run: settle a ``closing`` period's patrons to the end, resumably, shared by any number of workers.

The first run of a close cuts the period's patrons into shards (``close_shards``: patron-id
ranges, each with its cursor and totals). Every run then leases shards one at a time (an
advisory lock per shard, taken with ``pg_try_advisory_lock``: a leased shard is skipped, a dead
worker's lease goes with its connection) and walks its patrons in patron-id order, in batches:
each batch, in ONE transaction, posts one entry per patron (``settle:<period>:<patron>``),
records escrow contributions, stages the events, adds to the shard's totals and moves its
cursor. A run killed anywhere loses at most its open batch; whoever leases the shard next
continues from the cursor, and the idempotency keys make a replayed batch harmless.

A patron's entry depends only on the patron's clicks, budget and wallet and the recipients'
rates, never on which worker or in which order patrons are settled: any number of workers
write the entries of a one-worker close. Budgets and rates are read from the copy frozen when
the close started (``gate.freeze_inputs``), never from the live projection, so a budget or a
rate changed during the close reaches no patron of it, and a resumed run reads what the run
it resumes read. A run with no shard left to lease waits for a leased
one to be let go (done or its worker dead). When every shard is done, one last transaction —
under the period's row lock, so exactly once whoever gets there first — sweeps escrow of things
claimed meanwhile, refunds stale escrow, sums the shards' totals into the period, marks it
``closed`` and publishes ``settlement.period.closed``. Starting a close is the gate's (``gate``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from trickle_events.settlement import PeriodClosed
from trickle_kit.envelope import utcnow
from trickle_kit.money import Money
from trickle_settlement.close import checkpoints, gate, repository
from trickle_settlement.close.config import CloseConfig
from trickle_settlement.close.entries import settlement_entry, staged_patron_settled
from trickle_settlement.close.models import PeriodClose
from trickle_settlement.escrow import repository as escrow_repository
from trickle_settlement.escrow.service import refund_stale_escrow, sweep_claimed_escrow
from trickle_settlement.ledger import chart
from trickle_settlement.ledger.balances import balances
from trickle_settlement.ledger.bulk_posting import (
    PreparedEntries,
    post_prepared,
    prepare_entries,
    prepare_entries_yielding,
)
from trickle_settlement.ledger.journal import NewEntry
from trickle_settlement.ledger.posting import KnownAccounts, open_accounts
from trickle_settlement.outbox import OUTBOX
from trickle_settlement.projections.accounts import frozen_budgets_of, frozen_commission_rates
from trickle_settlement.split import Budget, Split, split_budget
from trickle_settlement.staged import StagedPatronSettled

log = structlog.get_logger("trickle.settlement.close")

# Patrons split between two yields to the event loop (about a millisecond of work).
_YIELD_EVERY = 100


class SettledElsewhere(Exception):
    """Entries of a batch were posted by another run meanwhile: the batch is rolled back and prepared again."""

    def __init__(self, period: str, keys: list[str]) -> None:
        super().__init__(f"{len(keys)} entries of {period} posted meanwhile, e.g. {keys[0]}")


@dataclass(frozen=True)
class _Batch:
    """The next patrons after ``after`` and their splits, read and computed before the batch's transaction."""

    after: str | None
    patrons: list[str]
    splits: list[tuple[str, Split, str]]
    entries: PreparedEntries
    events: list[StagedPatronSettled]
    escrows: list[tuple[str, str, int, str]]  # (thing, patron, gross, currency) contributions


async def _prepare_batch(
    session: AsyncSession, period: str, after: str | None, upto: str | None, config: CloseConfig
) -> _Batch:
    """Read the patrons after ``after`` (up to ``upto``), their clicks, budgets and rates (frozen at the
    start of the close), balances; split (no writes).

    The split uses the wallet balances as read here; ``post_prepared`` checks them again
    under the balance locks, so a wallet debited meanwhile fails the batch (retried) instead of
    going negative — as when the reads happen inside the batch's transaction.
    """
    patrons = await repository.next_patrons(session, period, after, config.batch_patrons, upto)
    if not patrons:
        return _Batch(after, [], [], prepare_entries([]), [], [])
    clicks = await repository.clicks_of(session, period, after, patrons[-1])
    budgets = await frozen_budgets_of(session, period, patrons)
    recipients = sorted({c.recipient_id for cs in clicks.values() for c in cs if c.recipient_id})
    rates = await frozen_commission_rates(session, period, recipients)
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
    entries: list[NewEntry] = []
    events: list[StagedPatronSettled] = []
    for n, (patron_id, split, currency) in enumerate(splits, 1):
        if n % _YIELD_EVERY == 0:
            await asyncio.sleep(0)
        entry = settlement_entry(period, patron_id, split, currency, wallets[patron_id])
        entries.append(entry)
        events.append(staged_patron_settled(period, patron_id, entry.entry_id or "", split, currency))
    escrows = [(e.thing_id, patron, e.gross, currency) for patron, split, currency in splits for e in split.escrows]
    # Validated and laid out here, while the previous batch writes: its transaction then holds the
    # balance locks only for what needs them (ledger/bulk_posting.py). Each of these steps hands the
    # loop back every _YIELD_EVERY patrons (entries): the batch holding the bulk turn shares this process's
    # loop, and a step done in one go (a tenth of a second or more for 5,000 patrons) delayed its
    # next statement, with every other worker waiting for the turn.
    return _Batch(after, patrons, splits, await prepare_entries_yielding(entries, _YIELD_EVERY), events, escrows)


async def _settle_batch(
    session: AsyncSession, period: str, batch: _Batch, known: KnownAccounts
) -> tuple[int, int, int, int]:
    """Stage the batch's events and escrow contributions, then post its entries; returns (patrons
    settled, spent, commission, escrow).

    Events and escrow first: ``post_prepared`` locks the balance rows every batch credits (the
    platform, creators, escrow) until the transaction ends, and workers sharing a close wait on
    them; what needs no lock is written before. The events name the entries by the ids drawn
    with them; an entry found posted under another id (its patron settled by someone else
    meanwhile) fails the batch, which is then prepared again from the committed cursor.
    """
    splits = batch.splits
    checkpoints.reached("before_posting")
    await OUTBOX.copy_many(session, batch.events)
    await escrow_repository.record_contributions(session, period, batch.escrows)
    checkpoints.reached("events_staged")
    posted = await post_prepared(session, batch.entries, known)
    drawn = batch.entries
    stale = [key for key, got, want in zip(drawn.keys, posted, drawn.entry_ids, strict=True) if got != want]
    if stale:
        raise SettledElsewhere(period, stale)
    checkpoints.reached("entries_posted")
    settled = len(splits)
    spent = sum(split.spend for _, split, _ in splits)
    commission = sum(split.commission for _, split, _ in splits)
    escrow = sum(split.escrow for _, split, _ in splits)
    return settled, spent, commission, escrow


async def run_close(
    sessions: async_sessionmaker[AsyncSession], period: str, config: CloseConfig | None = None
) -> PeriodClose:
    """Take part in the close of a ``closing`` period until it is closed; a no-op for a closed one.

    Any number of runs (in one process or many) may run one period at once; each returns when
    the period is closed (by whichever run finished it).
    """
    config = config or CloseConfig()
    known: KnownAccounts = {}  # ledger accounts this run saw committed (this database's)
    async with _pinned_session(sessions) as lease_session:
        while True:
            async with sessions() as session, session.begin():
                row = await repository.lock_period(session, period)
                if row.status != "closing":
                    return row
                if row.inputs_frozen_at is None:
                    # Started before closes froze their inputs: freeze them now, once (period row locked).
                    await repository.room_for_period_scans(session)
                    await gate.freeze_inputs(session, row)
                if not await repository.shards_of(session, period):
                    count, patrons = await repository.cut_shards(
                        session, period, row.last_patron_id or "", config.shards, config.batch_patrons
                    )
                    if not row.last_patron_id:  # every patron is in a shard: the progress counts walks
                        row.patrons_total = patrons
                    log.info("close_shards_cut", period=period, shards=count)
            await _settle_shards(sessions, lease_session, period, config, known)
            async with sessions() as session, session.begin():
                row = await repository.lock_period(session, period)
                if row.status != "closing":
                    return row
                if await repository.open_shards(session, period):
                    continue  # not ours to finish yet (a shard was let go unfinished): take part again
                await _finish(session, row, config)
                return row


@contextlib.asynccontextmanager
async def _pinned_session(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session that keeps one connection across its transactions: shard leases are advisory locks
    of the connection (a pooled session may get another connection for each transaction)."""
    engine: AsyncEngine = sessions.kw["bind"]
    async with engine.connect() as connection:
        try:
            async with AsyncSession(bind=connection, expire_on_commit=False) as session:
                yield session
        except BaseException:
            # A run that fails may still hold shard leases (the shard it settled, one its read-ahead
            # leased): they are this connection's session locks, and the pool's reset is a rollback,
            # not an unlock. Closed instead of pooled, the connection lets go of every lease.
            await connection.invalidate()
            raise


async def _settle_shards(
    sessions: async_sessionmaker[AsyncSession],
    lease_session: AsyncSession,
    period: str,
    config: CloseConfig,
    known: KnownAccounts,
) -> None:
    """Lease and settle open shards until none is left open; wait on shards other workers hold."""
    following: _NextShard | None = None
    while True:
        if following is not None:
            leased, first = following.shard, following.first
            following = None
        else:
            first = None
            async with lease_session.begin():
                pending = await repository.open_shards(lease_session, period)
            if not pending:
                return
            free = await _lease_free(lease_session, period, pending)
            if free is None:
                # Every open shard is leased: wait for one to be let go — done, or its worker dead.
                free = pending[0]
                async with lease_session.begin():
                    await repository.wait_lease_shard(lease_session, period, free)
            leased = free
        checkpoints.reached("shard_leased")
        # Released here when the shard is settled; a failure closes the lease connection instead
        # (``_pinned_session``), which lets go of every lease and keeps the failure's own error.
        following = await _settle_shard(sessions, lease_session, period, leased, config, known, first)
        async with lease_session.begin():
            await repository.release_shard(lease_session, period, leased)


@dataclass(frozen=True)
class _NextShard:
    """A shard the read-ahead leased when the one being settled ran out, with its first batch read."""

    shard: int
    first: _Batch


async def _read_ahead(
    lease_session: AsyncSession,
    period: str,
    shard: int,
    after: str,
    upto: str | None,
    config: CloseConfig,
    lease_next: bool,
) -> tuple[_Batch, _NextShard | None]:
    """The shard's next batch after ``after``; when there is none (and ``lease_next``), also the next
    shard this worker leases and its first batch, so that the last batch's transaction hides that
    read too."""
    batch = await _prepare_batch(lease_session, period, after, upto, config)
    if batch.patrons or not lease_next:
        return batch, None
    if lease_session.in_transaction():
        await lease_session.commit()
    async with lease_session.begin():
        pending = [n for n in await repository.open_shards(lease_session, period) if n != shard]
    while (n := await _lease_free(lease_session, period, pending)) is not None:
        pending = pending[pending.index(n) + 1 :]
        async with lease_session.begin():
            cursor = await repository.shard_cursor(lease_session, period, n)
            if cursor is None:  # done meanwhile by the worker that let it go
                await repository.release_shard(lease_session, period, n)
        if cursor is not None:
            first = await _prepare_batch(lease_session, period, cursor[0], cursor[1], config)
            return batch, _NextShard(n, first)
    return batch, None


async def _lease_free(lease_session: AsyncSession, period: str, shards: list[int]) -> int | None:
    """The first of ``shards`` that no other connection holds, now leased by this one; None if all are held."""
    for shard in shards:
        async with lease_session.begin():
            if await repository.try_lease_shard(lease_session, period, shard):
                return shard
    return None


async def _settle_shard(
    sessions: async_sessionmaker[AsyncSession],
    lease_session: AsyncSession,
    period: str,
    shard: int,
    config: CloseConfig,
    known: KnownAccounts,
    first: _Batch | None = None,
) -> _NextShard | None:
    """Settle a leased shard from its cursor to its end and mark it done (nothing if it is done already);
    the next shard the read-ahead leased meanwhile, if it did (``_read_ahead``).

    Batches are pipelined: while one batch's transaction writes, the next batch is read and
    split on the lease's connection (reads only), so the database's work and the split's
    overlap. A prepared batch (``first`` too) is used only if it starts at the committed cursor.
    """
    ahead: asyncio.Task[tuple[_Batch, _NextShard | None]] | None = None
    following: _NextShard | None = None
    try:
        while True:
            async with sessions() as session, session.begin():
                row = await repository.lock_shard(session, period, shard)
                batch = first
                first = None
                if ahead is not None:
                    batch, leased = await ahead
                    following = following or leased
                    ahead = None
                if row.status != "open":
                    return following
                after = row.last_patron_id
                if batch is None or batch.after != after:
                    batch = await _prepare_batch(session, period, after, row.upto, config)
                if not batch.patrons:
                    row.status = "done"
                    row.updated_at = utcnow()
                    await session.flush()
                    checkpoints.reached("shard_done")
                    return following
                ahead = asyncio.create_task(
                    _read_ahead(
                        lease_session, period, shard, batch.patrons[-1], row.upto, config, lease_next=following is None
                    )
                )
                await _open_accounts_first(sessions, batch, known)
                settled, spent, commission, escrow = await _settle_batch(session, period, batch, known)
                row.last_patron_id = batch.patrons[-1]
                row.patrons_walked += len(batch.patrons)
                row.patrons_settled += settled
                row.total_spent += spent
                row.total_commission += commission
                row.total_escrow += escrow
                row.updated_at = utcnow()
            checkpoints.reached("batch_committed")
    finally:
        if ahead is not None:
            # This run failed: let the read-ahead finish before the connection is closed with every
            # lease it holds, one the read-ahead took included (``_pinned_session``).
            with contextlib.suppress(Exception):
                await ahead
        if lease_session.in_transaction():
            await lease_session.commit()


async def _open_accounts_first(sessions: async_sessionmaker[AsyncSession], batch: _Batch, known: KnownAccounts) -> None:
    """Create the batch's new accounts (first-time creators, escrows) in a transaction of their own.

    Created in the batch's transaction, they were held by it until it committed, and a batch of
    another worker naming one of them waited all that time on the unique index. An account whose
    batch then fails stays, empty, for the retry."""
    async with sessions() as session, session.begin():
        confirmed = await open_accounts(session, batch.entries.accounts, known)
    known.update((ref.id, ref) for ref in confirmed)  # committed: this batch's posting and later ones skip them


async def _finish(session: AsyncSession, row: PeriodClose, config: CloseConfig) -> None:
    """Once, after every shard: escrow sweeps and refunds, the shards' totals into the period, ``closed``."""
    shards = await repository.shards_of(session, row.period)
    row.patrons_settled += sum(s.patrons_settled for s in shards)
    row.total_spent += sum(s.total_spent for s in shards)
    row.total_commission += sum(s.total_commission for s in shards)
    row.total_escrow += sum(s.total_escrow for s in shards)
    # Shards are in patron order: the last one's cursor is the close's last patron.
    row.last_patron_id = (shards[-1].last_patron_id if shards else None) or row.last_patron_id
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
