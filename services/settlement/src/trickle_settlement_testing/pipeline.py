"""The settlement worker running against the test session's topics (the ``pipeline`` fixture), and what
tests of it need: publishing events, waiting for the ledger's answers, reading balances."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from trickle_events.base import Event
from trickle_events.topics import CLICKS, LEDGER, SETTLEMENT, WALLET, dlq
from trickle_events.wallet import DepositSucceeded
from trickle_kit.envelope import Envelope, utcnow
from trickle_kit.ids import new_id
from trickle_kit.kafka import ensure_topics
from trickle_kit.money import Money
from trickle_kit.relay import OutboxRelay
from trickle_kit.testing import EVENTUAL_S, KAFKA, read_topic
from trickle_settlement.consumers import consumers
from trickle_settlement.ledger.models import LedgerBalance
from trickle_settlement.settings import Settings


def eur(amount: int) -> Money:
    return Money(amount=amount, currency="EUR")


def acct() -> str:
    return new_id("acct")


@pytest.fixture(scope="module")
async def pipeline(
    database_url: str, topic_prefix: str, engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[dict[str, Any]]:
    """The settlement worker's consumers and outbox relay, running against this session's topics."""
    settings = Settings(database_url=database_url, topic_prefix=topic_prefix, log_json=False)
    await ensure_topics(KAFKA, [topic_prefix + t for t in (WALLET, LEDGER, CLICKS, SETTLEMENT, dlq(WALLET))])
    stop = asyncio.Event()
    relay = OutboxRelay(engine, bootstrap=KAFKA, topic_prefix=topic_prefix, name="settlement-test-relay")
    tasks: list[asyncio.Future[None]] = [
        asyncio.ensure_future(r(stop)) for r in [*consumers(settings, engine, sessions), relay.run]
    ]
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA, acks="all")
    await producer.start()

    async def publish(
        event: Event, event_id: str | None = None, *, partition: int | None = None, want_partition: bool = False
    ) -> Any:
        env = Envelope(
            id=event_id or new_id("evt"),
            type=event.event_type,
            source="trickle/wallet",
            time=utcnow(),
            data=event.model_dump(mode="json"),
            subject=event.subject(),
        )
        key = event.partition_key()
        sent = await producer.send_and_wait(
            topic_prefix + event.topic,
            value=env.value(),
            key=key.encode() if key else None,
            headers=env.headers(),
            partition=partition,
        )
        return sent.partition if want_partition else env.id

    yield {"publish": publish, "prefix": topic_prefix, "producer": producer}
    stop.set()
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), EVENTUAL_S)
    await producer.stop()


async def ledger_event(prefix: str, event_type: str, **match: Any) -> Envelope:
    """The first event of ``event_type`` on the ledger topic whose payload has the ``match`` values."""

    def found(events: list[Envelope]) -> Envelope | None:
        for e in events:
            if e.type == event_type and all(e.data.get(k) == v for k, v in match.items()):
                return e
        return None

    events = await read_topic(prefix + LEDGER, until=lambda evs: found(evs) is not None)
    hit = found(events)
    assert hit is not None
    return hit


async def balance(sessions: async_sessionmaker[AsyncSession], account_id: str) -> int:
    """A ledger account's balance (0 when never used)."""
    async with sessions() as s:
        found = (
            await s.execute(select(LedgerBalance.balance).where(LedgerBalance.account_id == account_id))
        ).scalar_one_or_none()
    return found or 0


def deposit(account_id: str, gross: int, fee: int, provider: str = "sandbox") -> DepositSucceeded:
    return DepositSucceeded(
        deposit_id=new_id("dep"),
        account_id=account_id,
        method="card",
        provider=provider,
        gross=eur(gross),
        fee=eur(fee),
        net=eur(gross - fee),
    )
