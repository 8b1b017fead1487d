"""Puts events on the test's Kafka topics the way another service's relay would."""

from __future__ import annotations

from aiokafka import AIOKafkaProducer

from trickle_events import Event
from trickle_kit.envelope import Envelope, utcnow
from trickle_kit.ids import new_id
from trickle_kit.testing import KAFKA


class Publisher:
    """Puts events on Kafka the way another service's relay would (CloudEvents, keyed by account)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.producer = AIOKafkaProducer(bootstrap_servers=KAFKA, acks="all", linger_ms=2)

    async def publish(self, event: Event, source: str = "trickle-test", traceparent: str | None = None) -> str:
        env = Envelope(
            id=new_id("evt"),
            type=event.event_type,
            source=source,
            time=utcnow(),
            data=event.model_dump(mode="json"),
            subject=event.subject(),
            schema_version=event.schema_version,
            traceparent=traceparent,
        )
        key = event.partition_key()
        await self.producer.send_and_wait(
            self.prefix + event.topic, value=env.value(), key=key.encode() if key else None, headers=env.headers()
        )
        return env.id
