"""A dead letter's record on Kafka (``<topic>.dlq``, written by the inbox) and its replay.

The inbox keeps who failed which event in ``processed_events`` (outcome ``dead``) and the
record itself, with the reason in headers, on the topic's dead-letter topic. A replay sends
the original record (same CloudEvent id, key, payload) back to the topic it came from, after
removing the dead rows in the same transaction: the consumer's inbox claims it again and
applies it once, and every consumer that applied it already skips it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

DLQ_SUFFIX = ".dlq"
# Headers the inbox adds when it dead-letters a record (trickle_kit.inbox); dropped on replay.
DLQ_HEADERS = ("dlq_reason", "dlq_consumer", "dlq_topic", "dlq_partition", "dlq_offset")
# How long a search of the dead-letter topics may read before it gives up (they are small).
SCAN_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class DeadLetterRecord:
    """A dead-lettered record as found on ``<topic>.dlq``."""

    dlq_topic: str
    topic: str
    partition: int
    offset: int
    consumer: str
    reason: str
    event_type: str | None
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]

    def payload(self) -> Any:
        """The record's JSON payload (the raw text when it is not JSON)."""
        if self.value is None:
            return None
        try:
            return json.loads(self.value)
        except ValueError:
            return self.value.decode("utf-8", "replace")


def _header(headers: Sequence[tuple[str, bytes]], name: str) -> str | None:
    for key, value in headers:
        if key == name:
            return value.decode("utf-8", "replace")
    return None


async def find_dead_letter(
    bootstrap: str, dlq_topics: Sequence[str], event_id: str, consumers: Sequence[str]
) -> DeadLetterRecord | None:
    """The latest record of ``event_id`` dead-lettered by one of ``consumers``, read from ``dlq_topics``.

    Reads each partition of the dead-letter topics from its beginning to its end as of now.
    """
    partitions = await _partitions_of(bootstrap, dlq_topics)
    if not partitions:
        return None
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, client_id="trickle-operations")
    await consumer.start()
    found: DeadLetterRecord | None = None
    try:
        consumer.assign(partitions)
        starts = await consumer.beginning_offsets(partitions)
        ends = await consumer.end_offsets(partitions)
        remaining = {tp for tp in partitions if ends[tp] > starts[tp]}
        for tp in remaining:
            consumer.seek(tp, starts[tp])
        deadline = time.monotonic() + SCAN_TIMEOUT_S
        while remaining and time.monotonic() < deadline:
            batches = await consumer.getmany(*remaining, timeout_ms=500)
            for tp, records in batches.items():
                for rec in records:
                    if rec.offset >= ends[tp]:
                        continue
                    headers = tuple(rec.headers)
                    if _header(headers, "ce_id") == event_id and _header(headers, "dlq_consumer") in consumers:
                        found = DeadLetterRecord(
                            dlq_topic=tp.topic,
                            topic=_header(headers, "dlq_topic") or tp.topic.removesuffix(DLQ_SUFFIX),
                            partition=int(_header(headers, "dlq_partition") or -1),
                            offset=int(_header(headers, "dlq_offset") or -1),
                            consumer=_header(headers, "dlq_consumer") or "",
                            reason=_header(headers, "dlq_reason") or "",
                            event_type=_header(headers, "ce_type"),
                            key=rec.key,
                            value=rec.value,
                            headers=headers,
                        )
                if records and records[-1].offset + 1 >= ends[tp]:
                    remaining.discard(tp)
    finally:
        await consumer.stop()
    return found


async def _partitions_of(bootstrap: str, topics: Sequence[str]) -> list[TopicPartition]:
    """Every partition of those of ``topics`` that exist (a dead-letter topic exists once a record went there)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="trickle-operations")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [t for t in topics if t in existing]
        if not wanted:
            return []
        described = await admin.describe_topics(wanted)
    finally:
        await admin.close()
    return [
        TopicPartition(d["topic"], p["partition"])
        for d in described
        if not d.get("error_code")
        for p in sorted(d.get("partitions") or [], key=lambda p: int(p["partition"]))
    ]


async def send_back(bootstrap: str, record: DeadLetterRecord) -> None:
    """Publish the dead letter's original record again on the topic it was consumed from.

    Same partition (a record may be pinned to one its key would not pick: seal markers are
    counted for the partition they arrive on), key, value and CloudEvent headers; the
    dead-letter headers stay behind.
    """
    headers = [(k, v) for k, v in record.headers if k not in DLQ_HEADERS]
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, client_id="trickle-operations-replay", acks="all", enable_idempotence=True
    )
    await producer.start()
    try:
        partition = record.partition if record.partition >= 0 else None
        await producer.send_and_wait(
            record.topic, value=record.value, key=record.key, headers=headers, partition=partition
        )
    finally:
        await producer.stop()
