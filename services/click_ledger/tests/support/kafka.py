"""Reading a whole topic with partitions and offsets (the kit's read_topic gives envelopes only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from trickle_kit.envelope import EnvelopeError, decode
from trickle_kit.testing import KAFKA


@dataclass(frozen=True)
class Record:
    partition: int
    offset: int
    type: str
    data: dict[str, Any]


async def read_all(topic: str, partitions: int) -> list[Record]:
    """Every record now in ``topic`` (all partitions, from the beginning to the current end)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=KAFKA, enable_auto_commit=False, isolation_level="read_committed")
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in range(partitions)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        out: list[Record] = []
        for _ in range(10_000):
            positions = [await consumer.position(tp) for tp in tps]
            if all(pos >= ends[tp] for pos, tp in zip(positions, tps, strict=True)):
                break
            batch = await consumer.getmany(timeout_ms=500)
            for tp, records in batch.items():
                for rec in records:
                    try:
                        env = decode(rec.headers, rec.value)
                    except EnvelopeError:
                        continue
                    out.append(Record(tp.partition, rec.offset, env.type, env.data))
        return out
    finally:
        await consumer.stop()
