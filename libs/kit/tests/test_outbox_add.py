"""Outbox.add stages the event and the relay's wake-up in one statement, both only if the transaction commits."""

from __future__ import annotations

import asyncio
import uuid
from typing import ClassVar

import asyncpg
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_kit.outbox import NOTIFY_CHANNEL, Outbox
from trickle_kit.tables import OutboxRecord
from trickle_kit.testing import EVENTUAL_S

MARKER = "test-marker"


async def wake_ups_before_a_marker(sessions: async_sessionmaker[AsyncSession], woken: asyncio.Queue[str]) -> list[str]:
    """The wake-ups (payloads) received before a marker notified now: PostgreSQL delivers the
    notifications of different transactions in commit order, so none of the earlier ones can
    still be on its way when the marker arrives (no waiting "long enough" for an extra one)."""
    async with sessions() as session, session.begin():
        await session.execute(select(func.pg_notify(NOTIFY_CHANNEL, MARKER)))
    seen: list[str] = []
    while (payload := await asyncio.wait_for(woken.get(), EVENTUAL_S)) != MARKER:
        seen.append(payload)
    return seen


class Noted(BaseModel):
    event_type: ClassVar[str] = "kit.test.noted"
    topic: ClassVar[str] = "kit-test"
    schema_version: ClassVar[int] = 1
    account_id: str

    def partition_key(self) -> str:
        return self.account_id

    def subject(self) -> str:
        return self.account_id


async def test_add_stages_the_event_and_notifies_the_relay_on_commit_only(sessions, database_url: str) -> None:  # type: ignore[no-untyped-def]
    listener = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    woken: asyncio.Queue[str] = asyncio.Queue()
    await listener.add_listener(NOTIFY_CHANNEL, lambda *args: woken.put_nowait(args[3]))
    outbox = Outbox("trickle/kit-test")
    try:
        account = f"acct_{uuid.uuid4().hex}"
        async with sessions() as session:
            async with session.begin():
                await outbox.add(session, Noted(account_id=account), partition=3)
                await session.rollback()
            async with session.begin():
                eid = await outbox.add(session, Noted(account_id=account), partition=3)
                await outbox.add(session, Noted(account_id=account))
        # None for the rolled back transaction; one for the committed one, however many events.
        assert await wake_ups_before_a_marker(sessions, woken) == [""]
        async with sessions() as session:
            rows = (
                (
                    await session.execute(
                        select(OutboxRecord).where(OutboxRecord.key == account).order_by(OutboxRecord.id)
                    )
                )
                .scalars()
                .all()
            )
        assert [(r.event_id == eid, r.partition, r.topic) for r in rows] == [
            (True, 3, "kit-test"),
            (False, None, "kit-test"),
        ]
    finally:
        await listener.close()


async def test_add_many_notifies_the_relay_once_per_transaction(sessions, database_url: str) -> None:  # type: ignore[no-untyped-def]
    listener = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    woken: asyncio.Queue[str] = asyncio.Queue()
    await listener.add_listener(NOTIFY_CHANNEL, lambda *args: woken.put_nowait(args[3]))
    try:
        account = f"acct_{uuid.uuid4().hex}"
        async with sessions() as session, session.begin():
            await Outbox("trickle/kit-test").add_many(session, [Noted(account_id=account)] * 5, chunk_size=2)
        assert await wake_ups_before_a_marker(sessions, woken) == [""]  # three chunks, one wake-up
    finally:
        await listener.close()
