"""What the backbone tests share: two service-like databases, an `applied` effect table, a consumer."""

from __future__ import annotations

import asyncio
import os
import sys

from sqlalchemy import create_engine, text
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events import EVENT_TYPES
from trickle_events.wallet import AccountCreated
from trickle_kit.db import KitBase, make_engine, make_sessionmaker, sync_url
from trickle_kit.inbox import InboxConsumer, Received
from trickle_kit.testing import fresh_database

INBOX_NAME = "backbone.applier"


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


async def _main(consumer_url: str, bootstrap: str, prefix: str, group: str) -> None:
    """Run as a separate process: the 'other service' that consumes."""
    stop = asyncio.Event()
    await make_consumer(consumer_url, bootstrap, prefix, group).run(stop)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    asyncio.run(_main(*sys.argv[1:5]))
