"""The event backbone end to end on the real PostgreSQL and Kafka: outbox → relay → Kafka → inbox."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support.backbone import (
    TEST_OUTBOX,
    Side,
    account_event,
    applied_at_least,
    apply_account,
    commit_events,
    make_consumer,
    running,
)
from trickle_kit.relay import OutboxRelay
from trickle_kit.tables import OutboxRecord
from trickle_kit.testing import EVENTUAL_S, KAFKA, read_topic, unique_prefix, wait_until

REPO = Path(__file__).resolve().parents[2]
CONSUMER_SCRIPT = REPO / "tests" / "support" / "backbone.py"


async def test_a_committed_event_reaches_a_consumer_in_another_process_once_and_a_rolled_back_one_never(sides) -> None:  # type: ignore[no-untyped-def]
    producer, consumer, consumer_url = sides
    prefix = unique_prefix("backbone")
    committed = await commit_events(producer, 0, 5)
    with contextlib.suppress(RuntimeError):
        async with producer.sessions() as s, s.begin():
            rolled_back = await TEST_OUTBOX.add(s, account_event(99))
            raise RuntimeError("the business change failed")
    relay = OutboxRelay(producer.engine, bootstrap=KAFKA, topic_prefix=prefix, name="r1")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(CONSUMER_SCRIPT),
        consumer_url,
        KAFKA,
        prefix,
        f"{prefix}group",
        cwd=REPO,
    )
    try:
        async with running(relay.run):
            await wait_until(lambda: applied_at_least(consumer, 5))
            await wait_until(lambda: _unpublished_is_zero(producer))
        # The relay has stopped with every row marked published, so all it ever sent is on the topic;
        # once the consumer has committed past the topic's end it has seen every copy of every event
        # (a duplicate could not still be on its way: no waiting "long enough" for one).
        await wait_until(lambda: _consumed_to_the_end(f"{prefix}group", f"{prefix}wallet"), interval_s=0.5)
    finally:
        proc.terminate()
        await asyncio.wait_for(proc.wait(), EVENTUAL_S)
    async with consumer.sessions() as s:
        rows = (await s.execute(text("SELECT event_id FROM applied ORDER BY n"))).scalars().all()
    assert sorted(rows) == sorted(committed)
    assert rolled_back not in rows
    assert await producer.scalar("SELECT count(*) FROM outbox") == 5
    assert await producer.scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0


async def _consumed_to_the_end(group: str, topic: str) -> bool:
    """``group`` has committed (each batch after applying it) every record now on ``topic``."""
    admin = AIOKafkaAdminClient(bootstrap_servers=KAFKA)
    probe = AIOKafkaConsumer(bootstrap_servers=KAFKA, enable_auto_commit=False)
    await admin.start()
    await probe.start()
    try:
        [described] = await admin.describe_topics([topic])
        partitions = [TopicPartition(topic, p["partition"]) for p in described["partitions"]]
        ends = await probe.end_offsets(partitions)
        committed = await admin.list_consumer_group_offsets(group, partitions=partitions)
    finally:
        await probe.stop()
        await admin.close()
    return bool(partitions) and all(
        end == 0 or (tp in committed and committed[tp].offset >= end) for tp, end in ends.items()
    )


async def test_replaying_the_topic_from_offset_zero_has_no_second_effect(sides) -> None:  # type: ignore[no-untyped-def]
    producer, consumer, consumer_url = sides
    prefix = unique_prefix("replay")
    await commit_events(producer, 0, 20)
    relay = OutboxRelay(producer.engine, bootstrap=KAFKA, topic_prefix=prefix, name="r")
    first = make_consumer(consumer_url, KAFKA, prefix, "group-a", consumer.engine)
    async with running(relay.run, first.run):
        await wait_until(lambda: applied_at_least(consumer, 20), timeout_s=60)
    replay = make_consumer(consumer_url, KAFKA, prefix, "group-b-from-zero", consumer.engine)
    async with running(replay.run):
        await wait_until(lambda: _true(replay.consumed >= 20), timeout_s=60)
    assert replay.applied == 0
    assert await consumer.scalar("SELECT count(*) FROM applied") == 20


async def _true(value: bool) -> bool:
    return value


async def test_a_malformed_message_is_dead_lettered_with_its_reason_and_later_messages_still_apply(sides) -> None:  # type: ignore[no-untyped-def]
    producer, consumer, consumer_url = sides
    prefix = unique_prefix("dlq")
    raw = AIOKafkaProducer(bootstrap_servers=KAFKA)
    await raw.start()
    try:
        await raw.send_and_wait(f"{prefix}wallet", b"{not json", key=b"acct_x", headers=[("ce_specversion", b"1.0")])
        bad_payload = account_event(1)
        await raw.send_and_wait(
            f"{prefix}wallet",
            b'{"account_id": 42}',
            key=b"acct_y",
            headers=[
                ("ce_specversion", b"1.0"),
                ("ce_id", b"evt_bad"),
                ("ce_type", bad_payload.event_type.encode()),
                ("ce_source", b"test"),
                ("ce_time", b"2026-11-25T12:00:00+00:00"),
            ],
        )
    finally:
        await raw.stop()
    await commit_events(producer, 10, 3)
    relay = OutboxRelay(producer.engine, bootstrap=KAFKA, topic_prefix=prefix, name="r")
    inbox = make_consumer(consumer_url, KAFKA, prefix, "g", consumer.engine)
    async with running(relay.run, inbox.run):
        await wait_until(lambda: applied_at_least(consumer, 3))
        # The malformed records may sit on other partitions than the good ones: wait for them too
        # before the consumer is stopped.
        await wait_until(lambda: _true(inbox.dead_lettered >= 2))
    dead = await _read_raw(f"{prefix}wallet.dlq", 2)
    reasons = sorted(dict(h)["dlq_reason"].decode() for h in dead)
    assert reasons[0].startswith("envelope: missing header ce_id")
    assert reasons[1].startswith("payload:") and "account_id" in reasons[1]
    assert inbox.dead_lettered == 2
    assert await consumer.scalar("SELECT count(*) FROM applied") == 3


async def _read_raw(topic: str, n: int) -> list[list[tuple[str, bytes]]]:
    from aiokafka import AIOKafkaConsumer

    c = AIOKafkaConsumer(topic, bootstrap_servers=KAFKA, auto_offset_reset="earliest", enable_auto_commit=False)
    await c.start()
    out: list[list[tuple[str, bytes]]] = []
    try:
        async with asyncio.timeout(EVENTUAL_S):
            while len(out) < n:
                for records in (await c.getmany(timeout_ms=200)).values():
                    out.extend(list(r.headers) for r in records)
    finally:
        await c.stop()
    return out


async def test_two_relays_running_at_once_publish_each_row_once(sides) -> None:  # type: ignore[no-untyped-def]
    producer, _, _ = sides
    prefix = unique_prefix("tworelays")
    relays = [
        OutboxRelay(producer.engine, bootstrap=KAFKA, topic_prefix=prefix, name=f"r{i}", batch_size=50)
        for i in range(2)
    ]
    async with running(*(r.run for r in relays)):
        ids: list[str] = []
        for start in range(0, 400, 100):  # rows keep arriving while both relays run
            ids += await commit_events(producer, start, 100)
            await asyncio.sleep(0.05)
        await wait_until(lambda: _unpublished_is_zero(producer), timeout_s=60)
    seen = await read_topic(f"{prefix}wallet", until=lambda evs: len(evs) >= 400, timeout_s=60, settle_s=1.0)
    assert len(seen) == 400
    assert sorted(e.id for e in seen) == sorted(ids)
    assert sum(r.published for r in relays) == 400


async def _unpublished_is_zero(side: Side) -> bool:
    async with side.sessions() as s:
        n = (
            await s.execute(select(func.count()).select_from(OutboxRecord).where(OutboxRecord.published_at.is_(None)))
        ).scalar_one()
    return n == 0


async def test_per_key_order_follows_the_outbox(sides) -> None:  # type: ignore[no-untyped-def]
    producer, _, _ = sides
    prefix = unique_prefix("order")
    ids = []
    for _ in range(30):  # one key, many transactions
        async with producer.sessions() as s, s.begin():
            ids.append(await TEST_OUTBOX.add(s, account_event(7)))
    relay = OutboxRelay(producer.engine, bootstrap=KAFKA, topic_prefix=prefix, name="r", batch_size=7)
    async with running(relay.run):
        seen = await read_topic(f"{prefix}wallet", until=lambda evs: len(evs) >= 30)
    assert [e.id for e in seen] == ids


async def test_a_handler_that_fails_dead_letters_only_its_event_and_the_rest_of_the_batch_applies(sides) -> None:  # type: ignore[no-untyped-def]
    producer, consumer, consumer_url = sides
    prefix = unique_prefix("handlerfail")
    doomed = account_event(13).account_id

    async def picky(session: AsyncSession, received) -> None:  # type: ignore[no-untyped-def]
        if received.event.account_id == doomed:
            raise ValueError("this account cannot be applied")
        await apply_account(session, received)

    await commit_events(producer, 10, 6)  # one transaction: the doomed event sits mid-batch
    relay = OutboxRelay(producer.engine, bootstrap=KAFKA, topic_prefix=prefix, name="r")
    inbox = make_consumer(consumer_url, KAFKA, prefix, "g", consumer.engine)
    inbox.handlers["wallet.account.created"] = picky
    async with running(relay.run, inbox.run):
        await wait_until(lambda: applied_at_least(consumer, 5), timeout_s=60)
        dead = await _read_raw(f"{prefix}wallet.dlq", 1)
    assert "ValueError: this account cannot be applied" in dict(dead[0])["dlq_reason"].decode()
    assert await consumer.scalar(f"SELECT count(*) FROM applied WHERE account_id = '{doomed}'") == 0
    assert await consumer.scalar("SELECT count(*) FROM processed_events WHERE outcome = 'dead'") == 1


async def test_a_batch_hook_writes_what_handlers_accumulated_and_its_failure_dead_letters_only_its_event(sides) -> None:  # type: ignore[no-untyped-def]
    producer, consumer, consumer_url = sides
    prefix = unique_prefix("batchhook")
    doomed = account_event(23).account_id

    async def accumulate(session: AsyncSession, received) -> None:  # type: ignore[no-untyped-def]
        session.info.setdefault("rows", []).append({"e": received.envelope.id, "a": received.event.account_id})

    async def flush(session: AsyncSession) -> None:
        rows = session.info.pop("rows", [])
        if any(r["a"] == doomed for r in rows):
            raise ValueError("this account cannot be written")
        if rows:
            await session.execute(text("INSERT INTO applied (event_id, account_id) VALUES (:e, :a)"), rows)

    await commit_events(producer, 20, 6)  # one transaction: the doomed event sits mid-batch
    relay = OutboxRelay(producer.engine, bootstrap=KAFKA, topic_prefix=prefix, name="r")
    inbox = make_consumer(consumer_url, KAFKA, prefix, "g", consumer.engine)
    inbox.handlers["wallet.account.created"] = accumulate
    inbox.on_batch_end = flush
    async with running(relay.run, inbox.run):
        await wait_until(lambda: applied_at_least(consumer, 5), timeout_s=60)
        dead = await _read_raw(f"{prefix}wallet.dlq", 1)
    assert "ValueError: this account cannot be written" in dict(dead[0])["dlq_reason"].decode()
    assert await consumer.scalar(f"SELECT count(*) FROM applied WHERE account_id = '{doomed}'") == 0
    assert await consumer.scalar("SELECT count(DISTINCT event_id) FROM applied") == 5
    assert await consumer.scalar("SELECT count(*) FROM applied") == 5
    assert await consumer.scalar("SELECT count(*) FROM processed_events WHERE outcome = 'dead'") == 1
