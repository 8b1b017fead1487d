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
