"""Pooled connections survive the database dropping them: idle ones are pinged and replaced, busy ones fail once."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from trickle_kit.db import make_engine


async def backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def terminate(database_url: str, pid: int) -> None:
    """What a database restart does to a pooled connection, done from another engine."""
    killer = make_engine(database_url, application_name="kit-test-killer", pool_size=1)
    try:
        async with killer.connect() as conn:
            assert (await conn.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})).scalar_one()
    finally:
        await killer.dispose()


async def test_an_idle_connection_the_server_dropped_is_replaced_on_checkout(database_url: str) -> None:
    engine = make_engine(database_url, application_name="kit-test", pool_size=2, ping_after_idle_s=0.0)
    try:
        first = await backend_pid(engine)
        await terminate(database_url, first)
        # Whichever pooled connection comes next, the query answers: a dead one fails its ping.
        for _ in range(3):
            assert await backend_pid(engine) != first
    finally:
        await engine.dispose()


async def test_a_busy_connection_the_server_dropped_fails_once_then_the_pool_reconnects(database_url: str) -> None:
    engine = make_engine(database_url, application_name="kit-test", pool_size=1, ping_after_idle_s=3600.0)
    try:
        first = await backend_pid(engine)
        await terminate(database_url, first)
        with pytest.raises(DBAPIError) as failed:
            await backend_pid(engine)
        assert failed.value.connection_invalidated
        assert await backend_pid(engine) != first
    finally:
        await engine.dispose()
