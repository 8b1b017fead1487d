"""InboxConsumer applies one poll (every partition in it) in one transaction, claiming its events in one statement."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from aiokafka import ConsumerRecord, TopicPartition
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_kit.envelope import Envelope, utcnow
from trickle_kit.inbox import InboxConsumer, Received
from trickle_kit.tables import ProcessedEvent
from trickle_kit.testing import KAFKA, wait_until

TOPIC = "kit-inbox-poll"


class Noted(BaseModel):
    n: int


def record(partition: int, offset: int, event_id: str, n: int) -> ConsumerRecord[bytes, bytes]:
    env = Envelope(id=event_id, type="kit.noted", source="kit-test", time=utcnow(), data={"n": n})
    value = env.value()
    return ConsumerRecord(TOPIC, partition, offset, 0, 0, b"k", value, None, 1, len(value), env.headers())


class OnePoll:
    """A stand-in Kafka consumer: one poll holding records of two partitions, then nothing."""

    def __init__(self, polls: list[dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]]) -> None:
        self.polls = polls
        self.commits: list[dict[TopicPartition, int]] = []

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def getmany(self, *, timeout_ms: int, max_records: int) -> dict[TopicPartition, list[Any]]:
        if self.polls:
            return self.polls.pop(0)
        await asyncio.sleep(timeout_ms / 1000)
        return {}

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.commits.append(offsets)


class Counting:
    """A sessionmaker that counts the transactions the consumer opens."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self.opened = 0

    def __call__(self) -> AsyncSession:
        self.opened += 1
        return self.sessions()


async def test_a_poll_over_two_partitions_is_one_transaction_and_one_offset_commit(sessions) -> None:  # type: ignore[no-untyped-def]
    name = f"kit.poll.{uuid.uuid4().hex[:8]}"
    ids = [f"evt_{uuid.uuid4().hex}" for _ in range(4)]
    p0, p1 = TopicPartition(TOPIC, 0), TopicPartition(TOPIC, 1)
    fake = OnePoll(
        [
            {
                p0: [record(0, 7, ids[0], 0), record(0, 8, ids[1], 1)],
                p1: [record(1, 3, ids[2], 2), record(1, 4, ids[3], 3)],
            }
        ]
    )
    seen: list[int] = []

    async def note(session: AsyncSession, received: Received) -> None:
        assert isinstance(received.event, Noted)
        seen.append(received.event.n)

    counting = Counting(sessions)
    inbox = InboxConsumer(
        name=name,
        topics=[TOPIC],
        sessions=counting,  # type: ignore[arg-type]
        handlers={"kit.noted": note},
        registry={"kit.noted": Noted},
        bootstrap=KAFKA,
        consumer_factory=lambda: fake,  # type: ignore[arg-type,return-value]
    )
    stop = asyncio.Event()
    task = asyncio.create_task(inbox.run(stop))
    try:
        await wait_until(lambda: _true(bool(fake.commits)))
    finally:
        stop.set()
        await task
    assert seen == [0, 1, 2, 3]  # each partition's records in their order
    assert counting.opened == 1
    assert fake.commits == [{p0: 9, p1: 5}]
    async with sessions() as s:
        claimed = await s.scalar(
            select(func.count()).select_from(ProcessedEvent).where(ProcessedEvent.consumer == name)
        )
    assert claimed == 4


async def _true(value: bool) -> bool:
    return value
