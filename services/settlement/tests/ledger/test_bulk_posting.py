"""``post_prepared`` writes what ``post_entries`` writes for the same entries, refuses what it refuses,
and leaves entries already posted to it."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from trickle_settlement_testing.books import acct, balance, fund

from trickle_kit.ids import new_id
from trickle_settlement.ledger import chart
from trickle_settlement.ledger.bulk_posting import _BULK_TURN, post_prepared, prepare_entries, prepare_entries_yielding
from trickle_settlement.ledger.errors import AccountMismatch, InsufficientFunds, InvalidEntry
from trickle_settlement.ledger.journal import Leg, NewEntry
from trickle_settlement.ledger.posting import (
    _LOCK_BALANCES,
    POSTINGS_WORK_MEM,
    LockedBalance,
    lock_balances,
    open_accounts,
    post_entries,
    post_entry,
)


def _entries(patrons: list[str], creators: list[str], thing: str, tag: str) -> list[NewEntry]:
    """Settlement-like entries: each patron pays creators (one twice, as two legs), the platform and an escrow."""
    entries = []
    for n, patron in enumerate(patrons):
        legs = [Leg(chart.patron_wallet(patron, "EUR"), 100 + n)]
        legs += [Leg(chart.creator_earnings(c, "EUR"), -20) for c in creators]
        legs.append(Leg(chart.creator_earnings(creators[0], "EUR"), -5))  # merged with the first
        legs.append(Leg(chart.platform_commission("EUR"), -(100 + n - 20 * len(creators) - 5 - 7)))
        legs.append(Leg(chart.escrow(thing, "EUR"), -7))
        entries.append(
            NewEntry(
                idempotency_key=f"bulk-test:{tag}:{patron}",
                kind="settlement",
                currency="EUR",
                legs=legs,
                reference=f"2026-11:{patron}" if n % 2 else None,
                period="2026-11",
                entry_id=new_id("je"),
            )
        )
    return entries


async def _written(session: AsyncSession, entry_ids: list[str]) -> tuple[list[Any], list[Any]]:
    """The postings and the ledger.entry.posted payloads of ``entry_ids``, with what differs between two
    postings of the same entries (the entry number and time) set aside."""
    postings = (
        await session.execute(
            text(
                "SELECT entry_id, account_id, currency, amount, balance_after FROM postings "
                "WHERE entry_id = ANY(:ids) ORDER BY id"
            ),
            {"ids": entry_ids},
        )
    ).all()
    events = (
        await session.execute(
            text(
                "SELECT key, subject, payload::jsonb - 'sequence' - 'posted_at' FROM outbox "
                "WHERE event_type = 'ledger.entry.posted' AND subject = ANY(:ids) ORDER BY id"
            ),
            {"ids": entry_ids},
        )
    ).all()
    return [tuple(p) for p in postings], [tuple(e) for e in events]


async def _post_twice(
    sessions: async_sessionmaker[AsyncSession], entries: list[NewEntry]
) -> tuple[tuple[list[Any], list[Any]], tuple[list[Any], list[Any]]]:
    """What each writer writes for ``entries``, each in a transaction rolled back afterwards."""
    ids = [e.entry_id or "" for e in entries]
    async with sessions() as s:
        async with s.begin() as tx:
            await post_entries(s, entries)
            general = await _written(s, ids)
            await tx.rollback()
        async with s.begin() as tx:
            assert await post_prepared(s, prepare_entries(entries)) == ids
            bulk = await _written(s, ids)
            await tx.rollback()
    return general, bulk


async def test_the_same_postings_and_events_as_post_entries(sessions) -> None:  # type: ignore[no-untyped-def]
    patrons = [acct() for _ in range(5)]
    for patron in patrons:
        await fund(sessions, patron, 1_000)
    creators = sorted(acct() for _ in range(3))
    entries = _entries(patrons, creators, f"thing_{uuid.uuid4().hex}", "same")
    general, bulk = await _post_twice(sessions, entries)
    assert len(general[0]) == 5 * (1 + 3 + 1 + 1)  # the creator named twice is one posting
    assert len(general[1]) == 5
    assert bulk == general


async def test_an_overdraft_is_refused_naming_the_entry_and_nothing_is_written(sessions) -> None:  # type: ignore[no-untyped-def]
    rich, poor = acct(), acct()
    await fund(sessions, rich, 1_000)
    await fund(sessions, poor, 150)
    entries = _entries([rich, poor, poor], [acct()], f"thing_{uuid.uuid4().hex}", "overdraft")
    entries[2] = NewEntry(**{**entries[2].__dict__, "idempotency_key": f"bulk-test:again:{poor}"})
    with pytest.raises(InsufficientFunds) as refused:
        async with sessions() as s, s.begin():
            await post_prepared(s, prepare_entries(entries))
    assert refused.value.entry_key == entries[2].idempotency_key  # 101 + 102 of 150: the second payment
    assert await balance(sessions, chart.patron_wallet(poor, "EUR").id) == 150


async def test_an_overdraft_in_the_middle_of_a_batch_is_refused_though_a_later_entry_makes_up_for_it(
    sessions,  # type: ignore[no-untyped-def]
) -> None:
    """The balances after each posting come from sums laid out before the locks: a guarded account that
    goes below zero at one entry and back above it at a later one is still refused at that entry."""
    patron = acct()
    await fund(sessions, patron, 150)
    creator = acct()
    wallet, earnings = chart.patron_wallet(patron, "EUR"), chart.creator_earnings(creator, "EUR")

    def entry(tag: str, amount: int) -> NewEntry:  # the patron pays the creator ``amount`` (negative: refunded)
        return NewEntry(
            idempotency_key=f"bulk-test:dip:{tag}:{patron}",
            kind="settlement",
            currency="EUR",
            legs=[Leg(wallet, amount), Leg(earnings, -amount)],
            entry_id=new_id("je"),
        )

    dip = [entry("first", 100), entry("second", 100), entry("back", -100)]  # 50, -50, then 50 again
    with pytest.raises(InsufficientFunds) as refused:
        async with sessions() as s, s.begin():
            await post_prepared(s, prepare_entries(dip))
    assert refused.value.entry_key == dip[1].idempotency_key
    assert await balance(sessions, wallet.id) == 150
    fine = [entry("a", 100), entry("b", -100), entry("c", 100)]  # 50, 150, 50: never below zero
    general, bulk = await _post_twice(sessions, fine)
    assert [p[4] for p in bulk[0] if p[1] == wallet.id] == [50, 150, 50]
    assert bulk == general


async def test_entries_posted_before_keep_their_ids(sessions) -> None:  # type: ignore[no-untyped-def]
    patron = acct()
    await fund(sessions, patron, 1_000)
    first = _entries([patron], [acct()], f"thing_{uuid.uuid4().hex}", "replay")
    async with sessions() as s, s.begin():
        await post_entries(s, first)
    replayed = [NewEntry(**{**first[0].__dict__, "entry_id": new_id("je")})]
    async with sessions() as s, s.begin():
        assert await post_prepared(s, prepare_entries(replayed)) == [first[0].entry_id]
    assert await balance(sessions, chart.patron_wallet(patron, "EUR").id) == 1_000 - 100


def test_entries_are_validated_when_prepared() -> None:
    unbalanced = NewEntry(
        idempotency_key="bulk-test:unbalanced",
        kind="settlement",
        currency="EUR",
        legs=[Leg(chart.patron_wallet(acct(), "EUR"), 10), Leg(chart.platform_commission("EUR"), -9)],
        entry_id=new_id("je"),
    )
    with pytest.raises(InvalidEntry, match="does not balance"):
        prepare_entries([unbalanced])
    with pytest.raises(InvalidEntry, match="needs its id"):
        prepare_entries([NewEntry(**{**unbalanced.__dict__, "entry_id": None})])
    fine = _entries([acct()], [acct()], "thing_x", "twice")
    with pytest.raises(InvalidEntry, match="twice"):
        prepare_entries(fine + fine)


def test_an_account_named_in_two_currencies_in_one_batch_is_refused_when_prepared() -> None:
    creator = acct()
    eur, usd = (
        NewEntry(
            idempotency_key=f"bulk-test:currency:{currency}",
            kind="settlement",
            currency=currency,
            legs=[Leg(chart.patron_wallet(acct(), currency), 10), Leg(chart.creator_earnings(creator, currency), -10)],
            entry_id=new_id("je"),
        )
        for currency in ("EUR", "USD")
    )
    prepare_entries([eur])  # each alone is fine
    with pytest.raises(AccountMismatch, match=f"creator_earnings:{creator}"):
        prepare_entries([eur, usd])


async def test_laid_out_in_steps_the_same_and_the_loop_runs_between_them() -> None:
    """A close's read-ahead lays out the next batch while this process's batch holds the bulk turn: the
    layout hands the loop back every few entries (so the turn's next statement goes out), and lays out
    exactly what ``prepare_entries`` does, refusals included."""
    entries = _entries([acct() for _ in range(25)], [acct(), acct()], "thing_y", "steps")
    steps = 0
    done = False

    async def other_work() -> None:  # stands for the batch holding the turn
        nonlocal steps
        while not done:
            steps += 1
            await asyncio.sleep(0)

    other = asyncio.create_task(other_work())
    await asyncio.sleep(0)
    started = steps
    laid_out = await prepare_entries_yielding(entries, every=5)
    done = True
    await other
    assert laid_out == prepare_entries(entries)
    assert steps - started >= 25 // 5  # it ran between the steps, not only after the layout
    with pytest.raises(InvalidEntry, match="twice"):
        await prepare_entries_yielding(entries + entries[:1], every=5)


async def test_bulk_posters_wait_for_their_turn_before_locking_rows(sessions) -> None:  # type: ignore[no-untyped-def]
    """A second batch crediting the same accounts waits on the bulk turn, not on the first one's
    rows: its lock statement then starts after the first commit and rechecks no row (each recheck
    had cost a hash table and a temporary file). Both batches are posted in full."""
    first, second = acct(), acct()
    for patron in (first, second):
        await fund(sessions, patron, 1_000)
    creators = sorted(acct() for _ in range(3))
    thing = f"thing_{uuid.uuid4().hex}"
    batches = [prepare_entries(_entries([patron], creators, thing, "turn")) for patron in (first, second)]
    async with sessions() as s, s.begin():
        await open_accounts(s, batches[0].accounts)  # as a close does, before its batches
    async with sessions() as holder, sessions() as waiter, sessions() as watcher:
        async with holder.begin():
            await post_prepared(holder, batches[0])
            await waiter.begin()
            pid = (await waiter.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            waiting = asyncio.create_task(post_prepared(waiter, batches[1]))
            wait = await _wait_event_of(watcher, pid, waiting)
        await waiting
        await waiter.commit()
    assert wait == ("Lock", "advisory"), f"the second batch waited on {wait}, not on its turn"
    for creator in creators:
        assert await balance(sessions, chart.creator_earnings(creator, "EUR").id) == 2 * (
            20 + (5 if creator == creators[0] else 0)
        )


async def test_entries_are_numbered_in_the_order_their_postings_apply(sessions) -> None:  # type: ignore[no-untyped-def]
    """A tip to a creator committed while a batch crediting the same creator waits on its turn is
    applied first, so it has the lower entry number: of two entries touching one account, the one
    applied later has the higher ``seq`` (the wallet's projection keeps the newest by it). A batch
    that inserted its entries before its turn broke this."""
    patron, tipper, creator = acct(), acct(), acct()
    await fund(sessions, patron, 1_000)
    await fund(sessions, tipper, 1_000)
    batch = prepare_entries(_entries([patron], [creator], f"thing_{uuid.uuid4().hex}", "numbered"))
    async with sessions() as s, s.begin():
        await open_accounts(s, batch.accounts)
    tip = NewEntry(
        idempotency_key=f"transfer-test:{tipper}",
        kind="transfer",
        currency="EUR",
        legs=[
            Leg(chart.patron_wallet(tipper, "EUR"), 10),
            Leg(chart.creator_earnings(creator, "EUR"), -9),
            Leg(chart.platform_commission("EUR"), -1),
        ],
    )
    async with sessions() as turn, sessions() as batcher, sessions() as watcher:
        async with turn.begin():
            await turn.execute(_BULK_TURN)  # another batch's turn
            await batcher.begin()
            pid = (await batcher.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            batching = asyncio.create_task(post_prepared(batcher, batch))
            assert await _wait_event_of(watcher, pid, batching) == ("Lock", "advisory")
            async with sessions() as s, s.begin():
                # Never waits on the batch: a lock wait here would be on the batch, which waits on
                # this coroutine's turn (a cycle PostgreSQL cannot see), so fail instead of hanging.
                await s.execute(text("SET LOCAL lock_timeout = '30s'"))
                await post_entry(s, tip)
        await batching
        await batcher.commit()
    async with sessions() as s:
        applied = (
            await s.execute(
                text(
                    "SELECT e.kind, e.seq FROM postings p JOIN journal_entries e ON e.id = p.entry_id "
                    "WHERE p.account_id = :account ORDER BY p.id"
                ),
                {"account": chart.creator_earnings(creator, "EUR").id},
            )
        ).all()
    assert [kind for kind, _ in applied] == ["transfer", "settlement"]
    assert applied[0].seq < applied[1].seq, applied


async def test_balance_rows_are_locked_one_id_at_a_time(sessions) -> None:  # type: ignore[no-untyped-def]
    """``lock_balances`` walks the ids in sorted order and locks each row through the primary key:
    a nested loop, never a hash of the whole balances table (a custom plan of a join did that for
    a close batch's 5,000 ids)."""
    patron, creator = acct(), acct()
    await fund(sessions, patron, 10)
    wallet, earnings = chart.patron_wallet(patron, "EUR").id, chart.creator_earnings(creator, "EUR").id
    async with sessions() as s, s.begin():
        await open_accounts(s, [chart.creator_earnings(creator, "EUR")])
    async with sessions() as s, s.begin() as tx:
        locked = await lock_balances(s, [wallet, earnings, "provider_clearing:sandbox"])
        assert list(locked) == sorted([wallet, earnings, "provider_clearing:sandbox"])
        many = sorted(f"creator_earnings:{acct()}" for _ in range(5_000))  # a close batch's size
        plan = (await s.execute(text("EXPLAIN (FORMAT JSON) " + _LOCK_BALANCES.text), {"ids": many})).scalar_one()

        def shape(node: dict[str, Any]) -> list[Any]:
            kind = node["Node Type"]
            if kind in ("Index Scan", "Seq Scan"):  # by the primary key; a tiny test table may be read whole
                kind = f"scan of {node['Relation Name']}"
            return [kind, [shape(n) for n in node.get("Plans", [])]]

        # The ids in their order (no sort above or below), each one's row found and locked in turn.
        assert shape(plan[0]["Plan"]) == [
            "Nested Loop",
            [["Function Scan", []], ["Subquery Scan", [["LockRows", [["scan of ledger_balances", []]]]]]],
        ], plan
        await tx.rollback()


async def test_balance_rows_stay_locked_when_locking_is_the_first_statement(sessions) -> None:  # type: ignore[no-untyped-def]
    """SQLAlchemy begins a transaction with its first statement; ``lock_balances`` runs on the driver's
    connection, and as a transaction's first statement it must still lock inside it, until it ends."""
    patron = acct()
    await fund(sessions, patron, 10)
    wallet = chart.patron_wallet(patron, "EUR").id

    async def held_elsewhere() -> bool:
        async with sessions() as other, other.begin():
            try:
                await other.execute(
                    text("SELECT 1 FROM ledger_balances WHERE account_id = :a FOR UPDATE NOWAIT"), {"a": wallet}
                )
            except DBAPIError:
                return True
            return False

    for first in (True, False):
        async with sessions() as s, s.begin() as tx:
            if not first:
                await s.execute(text("SELECT 1"))
            locked = await lock_balances(s, [wallet])
            assert locked[wallet] == LockedBalance(wallet, 10, locked[wallet].normal_sign, True)
            assert await held_elsewhere(), f"not held (lock_balances first: {first})"
            await tx.rollback()
    assert not await held_elsewhere()
    assert _LOCK_BALANCES.text.startswith(f"SELECT {', '.join('b.' + f for f in LockedBalance._fields)} ")


async def _wait_event_of(watcher: AsyncSession, pid: int, task: asyncio.Task[Any]) -> tuple[str, str] | None:
    """What the backend ``pid`` waits on once it waits on a lock (polled; the task failing ends it)."""
    while not task.done():
        async with watcher.begin():
            row = (
                await watcher.execute(
                    text("SELECT wait_event_type, wait_event FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
                )
            ).one()
        if row[0] == "Lock":
            return (row[0], row[1])
        await asyncio.sleep(0.01)
    task.result()  # raises what made it end
    return None


@pytest.mark.parametrize(("caller", "during"), [("5MB", POSTINGS_WORK_MEM), ("128MB", "128MB")])
async def test_the_copy_gets_room_in_memory_and_gives_it_back(sessions, caller: str, during: str) -> None:  # type: ignore[no-untyped-def]
    """The postings' COPY runs with at least ``POSTINGS_WORK_MEM`` (its transition table and the
    trigger's sort stay in memory); the rest of the caller's transaction keeps the caller's setting."""
    patron = acct()
    await fund(sessions, patron, 1_000)
    entries = _entries([patron], [acct()], f"thing_{uuid.uuid4().hex}", "work-mem")
    async with sessions() as s, s.begin() as tx:
        await s.execute(text(f"SET LOCAL work_mem = '{caller}'"))
        await s.execute(
            text(
                "CREATE TEMP TABLE seen_work_mem ON COMMIT DROP AS SELECT current_setting('work_mem') AS during LIMIT 0"
            )
        )
        await s.execute(
            text(
                "CREATE FUNCTION pg_temp.note_work_mem() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "INSERT INTO seen_work_mem VALUES (current_setting('work_mem')); RETURN NULL; END $$"
            )
        )
        await s.execute(
            text(
                "CREATE TRIGGER note_work_mem AFTER INSERT ON postings "
                "FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.note_work_mem()"
            )
        )
        await post_prepared(s, prepare_entries(entries))
        assert (await s.execute(text("SELECT during FROM seen_work_mem"))).scalar_one() == during
        assert (await s.execute(text("SELECT current_setting('work_mem')"))).scalar_one() == caller
        await tx.rollback()
