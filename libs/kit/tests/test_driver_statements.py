"""Statements on the driver's connection (``trickle_kit.db.DriverStatement``, ``driver_transaction``):
the same rows as through a session, and nothing when the transaction fails."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from trickle_kit.db import DriverStatement, driver_transaction
from trickle_kit.outbox import Outbox
from trickle_kit.tables import OutboxRecord
from trickle_kit.testing_events import reserved

COMPARED = ("topic", "key", "partition", "event_type", "subject", "schema_version", "payload")


async def staged_rows(
    sessions: async_sessionmaker[AsyncSession], account: str, source: str = "trickle/test"
) -> list[tuple[object, ...]]:
    async with sessions() as s:
        rows = (
            await s.execute(
                select(*(OutboxRecord.__table__.c[c] for c in COMPARED))  # type: ignore[attr-defined]
                .where(OutboxRecord.key == account, OutboxRecord.source == source)
                .order_by(OutboxRecord.id)
            )
        ).all()
    return [tuple(r) for r in rows]


async def test_add_many_on_the_driver_stages_what_add_many_stages(
    engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> None:
    account = f"acct_{uuid.uuid4().hex}"
    events = [reserved(account, n) for n in range(1, 6)]
    async with sessions() as s, s.begin():
        await Outbox("trickle/session").add_many(s, events, partitions=[None, 1, 2, None, 3])
    async with driver_transaction(engine) as connection:
        ids = await Outbox("trickle/driver").add_many_on(connection, events, partitions=[None, 1, 2, None, 3])
    assert len(ids) == 5
    driven = await staged_rows(sessions, account, "trickle/driver")
    assert len(driven) == 5
    assert driven == await staged_rows(sessions, account, "trickle/session")


async def test_a_failed_driver_transaction_stages_nothing(
    engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> None:
    account = f"acct_{uuid.uuid4().hex}"
    with pytest.raises(RuntimeError):
        async with driver_transaction(engine) as connection:
            await Outbox("trickle/test").add_many_on(connection, [reserved(account, 1)])
            raise RuntimeError("the change failed")
    assert await staged_rows(sessions, account) == []


async def test_a_statement_with_values_of_its_own_needs_no_parameters(engine: AsyncEngine) -> None:
    statement = DriverStatement(select(func.abs(-7), func.upper("x")))
    async with driver_transaction(engine) as connection:
        assert [tuple(r) for r in await statement.fetch(connection)] == [(7, "X")]


LOCK_KEY = 0x7E57  # an advisory lock no service takes


@pytest.mark.parametrize("fails", [False, True])
async def test_a_transaction_begun_with_a_statement_holds_what_it_took_until_it_ends(
    engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession], fails: bool
) -> None:
    """``begin_with`` runs in the transaction (here: takes a transaction-level lock), which then commits
    (or rolls back on error) like any other."""
    account = f"acct_{uuid.uuid4().hex}"
    lock_held = f"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = {LOCK_KEY} AND granted"
    try:
        async with driver_transaction(
            engine, begin_with=f"SELECT pg_advisory_xact_lock_shared({LOCK_KEY})"
        ) as connection:
            assert await connection.fetchval(lock_held) == 1
            assert connection.is_in_transaction()
            await Outbox("trickle/test").add_many_on(connection, [reserved(account, 1)])
            if fails:
                raise RuntimeError("the change failed")
    except RuntimeError:
        assert fails
    async with engine.connect() as conn:
        driver = (await conn.get_raw_connection()).driver_connection
        assert await driver.fetchval(lock_held) == 0  # released with its transaction
    assert len(await staged_rows(sessions, account)) == (0 if fails else 1)
