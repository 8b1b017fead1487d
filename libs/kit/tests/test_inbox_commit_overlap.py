"""InboxConsumer applies the next poll while the last poll's offset commit is on its way, and commits in order.

Real PostgreSQL and Kafka; the consumer is aiokafka's, its ``commit`` held back by a gate.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.envelope import Envelope, utcnow
from trickle_kit.inbox import InboxConsumer, Received
from trickle_kit.testing import KAFKA, unique_prefix, wait_until


class Noted(BaseModel):
    n: int


class HeldCommits(AIOKafkaConsumer):
    """aiokafka's consumer whose offset commits wait for ``gate``; it records what it committed."""

    def __init__(self, gate: asyncio.Event, *topics: str, **kwargs: Any) -> None:
        super().__init__(*topics, **kwargs)
        self.gate = gate
        self.committed: list[dict[TopicPartition, int]] = []

    async def commit(self, offsets: Any = None) -> None:
        await self.gate.wait()
        await super().commit(offsets)
        self.committed.append(dict(offsets))


async def produce(topic: str, numbers: range) -> None:
    """The events as one record batch (so one poll gets them all)."""
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA, acks="all", linger_ms=1000)
    await producer.start()
    try:
        sent = []
        for n in numbers:
            env = Envelope(
                id=f"evt_{uuid.uuid4().hex}", type="kit.noted", source="kit-test", time=utcnow(), data={"n": n}
            )
            sent.append(await producer.send(topic, env.value(), key=b"k", partition=0, headers=env.headers()))
        await producer.flush()
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


async def test_the_next_poll_applies_while_an_offset_commit_waits_and_offsets_move_forward(sessions) -> None:  # type: ignore[no-untyped-def]
    prefix = unique_prefix("inboxcommit")
    topic = f"{prefix}noted"
    gate = asyncio.Event()
    made: list[HeldCommits] = []
    seen: list[int] = []

    async def note(session: AsyncSession, received: Received) -> None:
        assert isinstance(received.event, Noted)
        seen.append(received.event.n)

    def consumer() -> AIOKafkaConsumer:
        made.append(
            HeldCommits(
                gate,
                topic,
                bootstrap_servers=KAFKA,
                group_id=f"{prefix}group",
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                metadata_max_age_ms=1000,
            )
        )
        return made[-1]

    inbox = InboxConsumer(
        name=f"kit.commit.{uuid.uuid4().hex[:8]}",
        topics=["noted"],
        topic_prefix=prefix,
        sessions=sessions,
        handlers={"kit.noted": note},
        registry={"kit.noted": Noted},
        bootstrap=KAFKA,
        consumer_factory=consumer,
    )
    await produce(topic, range(0, 3))
    stop = asyncio.Event()
    task = asyncio.create_task(inbox.run(stop))
    try:
        await wait_until(lambda: _true(inbox.applied == 3))  # the first poll applied; its offset commit waits
        await produce(topic, range(3, 6))
        await wait_until(lambda: _true(inbox.applied == 6))  # applied while that commit still waits
        assert made[-1].committed == []
        gate.set()
        await wait_until(lambda: _true(bool(made[-1].committed) and _last(made[-1]) == 6))
    finally:
        gate.set()
        stop.set()
        await task
    assert seen == [0, 1, 2, 3, 4, 5]
    offsets = [c[TopicPartition(topic, 0)] for c in made[-1].committed]
    assert offsets == sorted(offsets)  # never backwards


def _last(consumer: HeldCommits) -> int:
    return consumer.committed[-1][next(iter(consumer.committed[-1]))]


async def _true(value: bool) -> bool:
    return value
