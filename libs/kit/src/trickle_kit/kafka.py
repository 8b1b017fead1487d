"""aiokafka producer/consumer factories with the settings every service uses."""

from __future__ import annotations

import contextlib

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from trickle_kit.partitioner import KafkaPartitioner


def make_producer(bootstrap: str, *, client_id: str) -> AIOKafkaProducer:
    """Idempotent producer: retries never duplicate or reorder records of one partition."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        max_batch_size=256 * 1024,
        request_timeout_ms=15000,
        partitioner=KafkaPartitioner(),  # the default partitioner's choices, at less cost per keyed record
    )


def make_consumer(bootstrap: str, *topics: str, group_id: str, client_id: str) -> AIOKafkaConsumer:
    """Consumer with manual commits: offsets move only after the inbox transaction commits."""
    return AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap,
        group_id=group_id,
        client_id=client_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        max_poll_records=500,
        metadata_max_age_ms=5000,
    )


async def kafka_ready(bootstrap: str, timeout_s: float = 3.0) -> bool:
    """True when the broker answers a metadata request."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=int(timeout_s * 1000))
    try:
        await admin.start()
        await admin.list_topics()
        return True
    except Exception:
        return False
    finally:
        with contextlib.suppress(Exception):
            await admin.close()


async def ensure_topics(bootstrap: str, topics: list[str], partitions: int = 6) -> None:
    """Create topics that do not exist yet (idempotent)."""
    from aiokafka.admin import NewTopic
    from aiokafka.errors import TopicAlreadyExistsError

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(t, partitions, 1) for t in topics if t not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
    finally:
        await admin.close()
