"""What the event-backbone tests (tests/events) share: two service-like databases, an `applied`
effect table, a consumer (also run as a separate process: ``python tests/support/backbone.py``),
an outbox to commit events through, and a way to run relays and consumers for a block."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator

from sqlalchemy import create_engine, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from trickle_events import EVENT_TYPES
from trickle_events.wallet import AccountCreated
from trickle_kit.db import KitBase, make_engine, make_sessionmaker, sync_url
from trickle_kit.inbox import InboxConsumer, Received
from trickle_kit.outbox import Outbox
from trickle_kit.testing import EVENTUAL_S, fresh_database
from trickle_kit.worker import Runnable

INBOX_NAME = "backbone.applier"
TEST_OUTBOX = Outbox(source="trickle-test")


class Side:
    """One of the two databases, with a pool of its own."""

    def __init__(self, url: str) -> None:
        self.engine: AsyncEngine = make_engine(url, application_name="backbone-test", pool_size=5)
        self.sessions: async_sessionmaker[AsyncSession] = make_sessionmaker(self.engine)

    async def scalar(self, sql: str) -> int:
        async with self.sessions() as s:
            return int((await s.execute(text(sql))).scalar_one())


def make_databases(tag: str) -> tuple[str, str]:
    """A producer database and a consumer database, each with the kit's tables."""
    urls = []
    for side in ("producer", "consumer"):
        url = fresh_database(f"test_backbone_{tag}_{side}")
        engine = create_engine(sync_url(url))
        KitBase.metadata.create_all(engine)
        if side == "consumer":
            with engine.begin() as conn:
                # No unique key on purpose: a second effect would show as a second row.
                conn.execute(text("CREATE TABLE applied (n bigserial primary key, event_id text, account_id text)"))
        engine.dispose()
        urls.append(url)
    return urls[0], urls[1]


def account_event(i: int) -> AccountCreated:
    return AccountCreated(account_id=f"acct_{i:032x}", display_name=f"Patron {i}", kind="person", currency="EUR")


async def apply_account(session: AsyncSession, received: Received) -> None:
    event = received.event
    assert isinstance(event, AccountCreated)
    await session.execute(
        text("INSERT INTO applied (event_id, account_id) VALUES (:e, :a)"),
        {"e": received.envelope.id, "a": event.account_id},
    )


def make_consumer(consumer_url: str, bootstrap: str, prefix: str, group: str, sessions_engine=None) -> InboxConsumer:  # type: ignore[no-untyped-def]
    engine = sessions_engine or make_engine(consumer_url, application_name="backbone-consumer", pool_size=3)
    return InboxConsumer(
        name=INBOX_NAME,
        topics=["wallet"],
        sessions=make_sessionmaker(engine),
        handlers={"wallet.account.created": apply_account},
        registry=EVENT_TYPES,
        bootstrap=bootstrap,
        topic_prefix=prefix,
        group_id=group,
    )


@contextlib.asynccontextmanager
async def running(*runnables: Runnable) -> AsyncIterator[asyncio.Event]:
    """Relays and consumers running for the block; stopped (and awaited) when it ends."""
    stop = asyncio.Event()
    tasks = [asyncio.create_task(r(stop)) for r in runnables]
    try:
        yield stop
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), EVENTUAL_S)


async def commit_events(side: Side, first: int, count: int) -> list[str]:
    """``count`` account events committed in one transaction through the outbox; their ids."""
    ids = []
    async with side.sessions() as s, s.begin():
        for i in range(first, first + count):
            ids.append(await TEST_OUTBOX.add(s, account_event(i)))
    return ids


async def applied_at_least(side: Side, n: int) -> bool:
    return await side.scalar("SELECT count(*) FROM applied") >= n


async def _main(consumer_url: str, bootstrap: str, prefix: str, group: str) -> None:
    """Run as a separate process: the 'other service' that consumes."""
    stop = asyncio.Event()
    await make_consumer(consumer_url, bootstrap, prefix, group).run(stop)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    asyncio.run(_main(*sys.argv[1:5]))
