"""Kafka stopped (the real broker process) while changes commit: nothing is lost.

Runs its own throw-away broker on other ports so that stopping it disturbs no other test.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.backbone import applied_at_least, commit_events, make_consumer, running
from trickle_kit.relay import OutboxRelay
from trickle_kit.testing import unique_prefix, wait_until, worker_suffix

REPO = Path(__file__).resolve().parents[2]
KAFKA_SH = REPO / "deploy" / "local" / "kafka.sh"


class Broker:
    def __init__(self, port: int) -> None:
        self.port = port
        self.env = {
            **os.environ,
            "TRICKLE_KAFKA_HOME": str(REPO / "var" / f"kafka-chaos-{worker_suffix()}"),
            "TRICKLE_KAFKA_PORT": str(port),
            "TRICKLE_KAFKA_CONTROLLER_PORT": str(port + 1),
        }
        self.bootstrap = f"127.0.0.1:{port}"

    def _run(self, action: str) -> None:
        done = subprocess.run(
            ["bash", str(KAFKA_SH), action], env=self.env, timeout=180, capture_output=True, text=True
        )
        if done.returncode != 0:
            home = self.env["TRICKLE_KAFKA_HOME"]
            raise RuntimeError(
                f"kafka.sh {action} failed ({done.returncode}): {done.stderr[-2000:]} (see {home}/kafka.log)"
            )

    def start(self) -> None:
        self._run("start")

    def stop(self) -> None:
        self._run("stop")


def listening_port(offset: int) -> int:
    """A port no outgoing connection can be holding: above the kernel's ephemeral range.

    (59292, inside the range, was once taken by a test's client socket and the broker
    failed with "Address already in use".)
    """
    low, high = (int(v) for v in Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    if high + offset + 2 <= 65535:
        return high + offset
    if low - offset - 2 >= 1024:
        return low - offset - 2
    raise RuntimeError(f"no room outside the ephemeral port range {low}-{high}")


@pytest.fixture
def broker() -> Iterator[Broker]:
    port = listening_port(101 if worker_suffix() in ("main", "gw0") else 201)
    b = Broker(port)
    b.start()
    yield b
    b.stop()


async def test_events_committed_while_kafka_is_down_are_published_and_consumed_when_it_is_back(
    sides,  # type: ignore[no-untyped-def]
    broker: Broker,
) -> None:
    producer, consumer, consumer_url = sides
    prefix = unique_prefix(f"outage{uuid.uuid4().hex[:4]}")
    relay = OutboxRelay(producer.engine, bootstrap=broker.bootstrap, topic_prefix=prefix, name="r")
    inbox = make_consumer(consumer_url, broker.bootstrap, prefix, "g", consumer.engine)
    async with running(relay.run, inbox.run):
        await commit_events(producer, 0, 10)
        await wait_until(lambda: applied_at_least(consumer, 10), timeout_s=60)

        await asyncio.to_thread(broker.stop)
        for batch in range(5):  # business keeps committing while the broker is gone
            await commit_events(producer, 100 + batch * 10, 10)
        await asyncio.sleep(2)
        assert await producer.scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 50
        await asyncio.to_thread(broker.start)

        await wait_until(lambda: applied_at_least(consumer, 60), timeout_s=120)
    assert await producer.scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0
    assert await consumer.scalar("SELECT count(*) FROM applied") == 60
    assert await consumer.scalar("SELECT count(DISTINCT event_id) FROM applied") == 60
