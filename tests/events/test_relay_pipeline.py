"""The relay with batches in flight (claimed and committed while another is on the wire) keeps per-key order.

Real PostgreSQL and Kafka; only the relay's producer is wrapped, to hold acknowledgements back
(records still reach Kafka at once) or to fail sends from some record on, as a broker going
away mid-batch does.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaTimeoutError
from sqlalchemy import text

from tests.support.backbone import Side, commit_events, running
from trickle_kit.db import make_engine
from trickle_kit.envelope import Envelope
from trickle_kit.relay import OutboxRelay
from trickle_kit.testing import EVENTUAL_S, KAFKA, read_topic, unique_prefix, wait_until

KEYS = 6  # events i and i + KEYS share a key (the same account): several per key in every batch


class HeldAcks(AIOKafkaProducer):
    """Sends at once; the relay sees the acknowledgements only once ``gate`` is set."""

    def __init__(self, gate: asyncio.Event, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gate = gate

    async def send(self, *args: Any, **kwargs: Any) -> asyncio.Future[Any]:
        sent = await super().send(*args, **kwargs)

        async def acked() -> Any:
            await self.gate.wait()
            return await sent

        return asyncio.ensure_future(acked())


class BreaksAt(AIOKafkaProducer):
    """Every send from the ``fail_from``-th on fails (never reaches Kafka), as when the broker goes away."""

    def __init__(self, fail_from: int | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fail_from = fail_from
        self.sends = 0

    async def send(self, *args: Any, **kwargs: Any) -> asyncio.Future[Any]:
        self.sends += 1
        if self.fail_from is not None and self.sends >= self.fail_from:
            failed: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            failed.set_exception(KafkaTimeoutError())
            return failed
        return await super().send(*args, **kwargs)


def producer_settings(client_id: str) -> dict[str, Any]:
    return {"bootstrap_servers": KAFKA, "client_id": client_id, "enable_idempotence": True, "acks": "all"}


async def commit_keyed_events(producer: Side, n: int) -> list[str]:
    """``n`` events over ``KEYS`` keys, committed one by one in outbox order; their ids."""
    ids: list[str] = []
    for i in range(n):
        ids += await commit_events(producer, i % KEYS, 1)
    return ids


def first_seen_order(seen: list[Envelope]) -> list[str]:
    """Event ids in the order Kafka first gave each of them (later copies are duplicates)."""
    out: list[str] = []
    known: set[str] = set()
    for e in seen:
        if e.id not in known:
            known.add(e.id)
            out.append(e.id)
    return out


def per_key(ids: list[str], key_of: dict[str, str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for i in ids:
        grouped.setdefault(key_of[i], []).append(i)
    return grouped


async def read_all(topic: str, ids: list[str]) -> list[Envelope]:
    return await read_topic(topic, until=lambda evs: set(ids) <= {e.id for e in evs})


async def assert_per_key_order(topic: str, ids: list[str]) -> None:
    seen = await read_all(topic, ids)
    key_of = {e.id: e.data["account_id"] for e in seen}
    assert per_key(first_seen_order(seen), key_of) == per_key(ids, key_of)


async def unpublished(side: Side) -> int:
    return await side.scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL")


async def locked_by_the_relay(side: Side) -> int:
    """Unpublished rows some open transaction holds (a relay's claimed batches)."""
    async with side.sessions() as s, s.begin():
        free = len(
            (await s.execute(text("SELECT id FROM outbox WHERE published_at IS NULL FOR UPDATE SKIP LOCKED"))).all()
        )
        await s.rollback()
    return await unpublished(side) - free


async def test_the_next_batch_is_claimed_while_one_awaits_its_acks_and_order_per_key_holds(sides) -> None:  # type: ignore[no-untyped-def]
    producer, _, _ = sides
    prefix = unique_prefix("pipeline")
    ids = await commit_keyed_events(producer, 45)
    gate = asyncio.Event()
    relay = OutboxRelay(
        producer.engine,
        bootstrap=KAFKA,
        topic_prefix=prefix,
        name="held",
        batch_size=10,
        producer_factory=lambda: HeldAcks(gate, **producer_settings("held")),
    )
    async with running(relay.run):
        # The first batch is on the wire, its acks held: the second is already claimed (locked).
        await wait_until(lambda: _equals(locked_by_the_relay(producer), 20))
        assert relay.published == 0
        gate.set()
        await wait_until(lambda: _equals(unpublished(producer), 0))
    assert relay.published == 45
    await assert_per_key_order(f"{prefix}wallet", ids)


async def test_sends_failing_mid_batch_are_sent_again_in_order_and_nothing_is_lost(sides) -> None:  # type: ignore[no-untyped-def]
    producer, _, _ = sides
    prefix = unique_prefix("pipelinefail")
    ids = await commit_keyed_events(producer, 60)
    made: list[BreaksAt] = []

    def make() -> AIOKafkaProducer:
        # The first producer fails from the 15th record on (mid second batch, with the third
        # claimed behind it); the relay drops it and its successor sends everything.
        made.append(BreaksAt(15 if not made else None, **producer_settings("breaks")))
        return made[-1]

    relay = OutboxRelay(
        producer.engine,
        bootstrap=KAFKA,
        topic_prefix=prefix,
        name="breaks",
        batch_size=10,
        producer_factory=make,
    )
    async with running(relay.run):
        await wait_until(lambda: _equals(unpublished(producer), 0))
    assert len(made) >= 2  # it did fail, and recovered with a new producer
    assert relay.published == 60  # each row marked once: the failed batch and the one behind it rolled back
    await assert_per_key_order(f"{prefix}wallet", ids)


async def test_a_new_leader_waits_for_the_batches_its_predecessor_has_in_flight(sides) -> None:  # type: ignore[no-untyped-def]
    producer, _, _ = sides
    prefix = unique_prefix("handover")
    ids = await commit_keyed_events(producer, 50)
    url = producer.engine.url.render_as_string(hide_password=False)
    engine_a = make_engine(url, application_name="relay-a", pool_size=4)
    engine_b = make_engine(url, application_name="relay-b", pool_size=4)
    gate = asyncio.Event()
    a = OutboxRelay(
        engine_a,
        bootstrap=KAFKA,
        topic_prefix=prefix,
        name="a",
        batch_size=10,
        producer_factory=lambda: HeldAcks(gate, **producer_settings("a")),
    )
    b = OutboxRelay(engine_b, bootstrap=KAFKA, topic_prefix=prefix, name="b", batch_size=10)
    try:
        async with running(a.run):
            # A leads, with a batch on the wire (acks held) and the next one claimed.
            await wait_until(lambda: _equals(locked_by_the_relay(producer), 20))
            async with running(b.run):
                # A's leadership ends (its lock session is gone); B takes the lock.
                await producer.scalar(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                )
                # B must not publish the rows after A's while A's are in flight: it waits for them
                # (a relay that skipped them would publish here, out of order).
                await wait_until(lambda: _b_waits_or_published(producer, b))
                gate.set()
                await wait_until(lambda: _equals(unpublished(producer), 0), timeout_s=EVENTUAL_S)
        assert a.published + b.published == 50
        assert b.published > 0
        await assert_per_key_order(f"{prefix}wallet", ids)
    finally:
        await engine_a.dispose()
        await engine_b.dispose()


async def _b_waits_or_published(side: Side, b: OutboxRelay) -> bool:
    if b.published > 0:
        return True
    waiting = await side.scalar(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'relay-b' AND wait_event_type = 'Lock'"
    )
    return waiting > 0


async def _equals(value: Any, expected: int) -> bool:
    return bool(await value == expected)
