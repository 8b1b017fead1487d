"""Outbox.add stages the event and the relay's wake-up in one statement, both only if the transaction commits."""

from __future__ import annotations

import asyncio
import uuid
from typing import ClassVar

import asyncpg
from pydantic import BaseModel
from sqlalchemy import select

from trickle_kit.outbox import NOTIFY_CHANNEL, Outbox
from trickle_kit.tables import OutboxRecord


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
    await listener.add_listener(NOTIFY_CHANNEL, lambda *args: woken.put_nowait(args[2]))
    outbox = Outbox("trickle/kit-test")
    try:
        account = f"acct_{uuid.uuid4().hex}"
        async with sessions() as session:
            async with session.begin():
                await outbox.add(session, Noted(account_id=account), partition=3)
                await session.rollback()
            await asyncio.sleep(0)  # nothing to wait for: a rolled back transaction notifies nobody
            async with session.begin():
                eid = await outbox.add(session, Noted(account_id=account), partition=3)
                await outbox.add(session, Noted(account_id=account))
        assert await asyncio.wait_for(woken.get(), 5) == NOTIFY_CHANNEL
        assert woken.empty()  # one wake-up per transaction, however many events
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
    await listener.add_listener(NOTIFY_CHANNEL, lambda *args: woken.put_nowait(args[2]))
    try:
        account = f"acct_{uuid.uuid4().hex}"
        async with sessions() as session, session.begin():
            await Outbox("trickle/kit-test").add_many(session, [Noted(account_id=account)] * 5, chunk_size=2)
        assert await asyncio.wait_for(woken.get(), 5) == NOTIFY_CHANNEL
        await asyncio.sleep(0.2)
        assert woken.empty()  # three chunks, one wake-up
    finally:
        await listener.close()
