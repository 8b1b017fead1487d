"""The outbox → relay → Kafka → inbox figures move with the events (real PostgreSQL and Kafka):
backlog and oldest age while rows wait, the relay's publish counter, consumer lag while a
consumer is behind and 0 once it caught up, dead letters counted."""

from __future__ import annotations

import asyncio
import uuid
from typing import ClassVar

from aiokafka import AIOKafkaProducer
from prometheus_client import REGISTRY
from pydantic import BaseModel
from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.db import KitBase, make_engine, make_sessionmaker, sync_url
from trickle_kit.inbox import InboxConsumer, Received
from trickle_kit.metrics import OutboxGauges
from trickle_kit.outbox import Outbox
from trickle_kit.relay import OutboxRelay
from trickle_kit.testing import KAFKA, fresh_database, unique_prefix, wait_until, worker_suffix


class Counted(BaseModel):
    event_type: ClassVar[str] = "kit.counted"
    topic: ClassVar[str] = "kit-metrics"
    schema_version: ClassVar[int] = 1
    n: int

    def partition_key(self) -> str:
        return "one-key"  # every event in one partition: the lag is one partition's

    def subject(self) -> str:
        return str(self.n)


def value(name: str, labels: dict[str, str] | None = None) -> float:
    return REGISTRY.get_sample_value(name, labels or {}) or 0.0


async def test_outbox_relay_and_inbox_figures_follow_the_events() -> None:
    url = fresh_database(f"test_kit_metrics_{worker_suffix()}")  # its own outbox: the gauges see only these rows
    sync_engine = create_engine(sync_url(url))
    KitBase.metadata.create_all(sync_engine)
    sync_engine.dispose()
    engine = make_engine(url, application_name="kit-metrics")
    sessions = make_sessionmaker(engine)
    prefix = unique_prefix("kitmetrics")
    topic = prefix + Counted.topic
    gauges = OutboxGauges(engine, interval_s=3600)
    stop = asyncio.Event()
    gate = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    try:
        async with sessions() as s, s.begin():
            for n in range(3):
                await Outbox("kit-test").add(s, Counted(n=n))
        await gauges.sample()
        assert value("trickle_outbox_backlog") == 3
        assert value("trickle_outbox_oldest_age_seconds") >= 0

        published_before = value("trickle_outbox_published_total")
        relay = OutboxRelay(engine, bootstrap=KAFKA, topic_prefix=prefix, name="metrics-relay")
        tasks.append(asyncio.create_task(relay.run(stop)))
        await wait_until(lambda: _true(relay.published == 3))
        assert value("trickle_outbox_published_total") - published_before == 3
        await gauges.sample()
        assert (value("trickle_outbox_backlog"), value("trickle_outbox_oldest_age_seconds")) == (0, 0)

        # A record that is no CloudEvent at all: the inbox dead-letters it and counts it.
        producer = AIOKafkaProducer(bootstrap_servers=KAFKA)
        await producer.start()
        try:
            await producer.send_and_wait(topic, b"not an event", key=b"one-key")
        finally:
            await producer.stop()

        name = f"kit.metrics.{uuid.uuid4().hex[:8]}"
        applied: list[int] = []

        async def apply(session: AsyncSession, received: Received) -> None:
            assert isinstance(received.event, Counted)
            if received.event.n == 1:
                await gate.wait()  # the consumer is behind while this event is held
            applied.append(received.event.n)

        inbox = InboxConsumer(
            name=name,
            topics=[Counted.topic],
            sessions=sessions,
            handlers={Counted.event_type: apply},
            registry={Counted.event_type: Counted},
            bootstrap=KAFKA,
            topic_prefix=prefix,
            batch_size=1,
        )
        dead_before = value("trickle_inbox_dead_letters_total", {"consumer": name, "topic": topic})
        tasks.append(asyncio.create_task(inbox.run(stop)))

        def lag() -> float:
            return sum(
                s.value
                for family in REGISTRY.collect()
                if family.name == "trickle_consumer_lag"
                for s in family.samples
                if s.labels["consumer"] == name and s.labels["topic"] == topic
            )

        await wait_until(lambda: _true(applied == [0]))
        # Event 0 committed, event 1 held: two events and the bad record are still ahead of it.
        await wait_until(lambda: _true(lag() == 3))
        gate.set()
        await wait_until(lambda: _true(applied == [0, 1, 2]))
        await wait_until(lambda: _true(lag() == 0))
        dead = {"consumer": name, "topic": topic}
        await wait_until(lambda: _true(value("trickle_inbox_dead_letters_total", dead) == dead_before + 1))
        assert value("trickle_inbox_applied_total", {"consumer": name}) == 3
    finally:
        stop.set()
        gate.set()
        await asyncio.gather(*tasks)
        await engine.dispose()


async def _true(value: bool) -> bool:
    return value
