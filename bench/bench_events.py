"""Events per second through outbox → relay → Kafka → inbox, against raw aiokafka produce+consume.

    make bench-events            (BENCH_EVENTS=100000 by default)

Last line: ``events: N events, outbox->inbox X ev/s, raw kafka Y ev/s, ratio X/Y, relays R, consumers K``
(``BENCH_RELAYS`` and ``BENCH_CONSUMERS`` set R and K, 1 each by default). Both are measured on
uvloop, the loop the services' workers run on (``BENCH_LOOP=asyncio``: asyncio's own).
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import create_engine, insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events import EVENT_TYPES
from trickle_events.wallet import AccountCreated
from trickle_kit.db import KitBase, make_engine, make_sessionmaker, sync_url
from trickle_kit.envelope import Envelope, utcnow
from trickle_kit.ids import new_id
from trickle_kit.inbox import InboxConsumer, Received
from trickle_kit.relay import OutboxRelay
from trickle_kit.tables import OutboxRecord
from trickle_kit.testing import KAFKA, fresh_database

N = int(os.environ.get("BENCH_EVENTS", "100000"))
RELAYS = int(os.environ.get("BENCH_RELAYS", "1"))  # relays on the producer database, in this process
CONSUMERS = int(os.environ.get("BENCH_CONSUMERS", "1"))  # inbox consumers of one group, in this process


def payload(i: int) -> AccountCreated:
    return AccountCreated(account_id=f"acct_{i:032x}", display_name=f"Patron {i}", kind="person", currency="EUR")


def prepare() -> tuple[str, str]:
    urls = []
    for side in ("producer", "consumer"):
        url = fresh_database(f"bench_events_{side}")
        engine = create_engine(sync_url(url))
        KitBase.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE applied (event_id text, account_id text)"))
        engine.dispose()
        urls.append(url)
    return urls[0], urls[1]


async def fill_outbox(url: str) -> None:
    """Committed outbox rows, as a service's transactions would leave them (bulk, not timed)."""
    engine = make_engine(url, application_name="bench-fill")
    sessions = make_sessionmaker(engine)
    for start in range(0, N, 5000):
        rows = []
        for i in range(start, min(N, start + 5000)):
            event = payload(i)
            rows.append(
                {
                    "event_id": new_id("evt"),
                    "topic": event.topic,
                    "key": event.partition_key(),
                    "event_type": event.event_type,
                    "source": "bench",
                    "subject": event.subject(),
                    "schema_version": 1,
                    "payload": event.model_dump(mode="json"),
                    "occurred_at": utcnow(),
                }
            )
        async with sessions() as s, s.begin():
            await s.execute(insert(OutboxRecord), rows)
    await engine.dispose()


_PENDING = "bench_applied"
_INSERT_APPLIED = text("INSERT INTO applied SELECT * FROM unnest(CAST(:e AS text[]), CAST(:a AS text[]))")


async def apply(session: AsyncSession, received: Received) -> None:
    """The effect of one event, written with the batch's others by ``flush_applied`` (as services do)."""
    event = received.event
    assert isinstance(event, AccountCreated)
    session.info.setdefault(_PENDING, []).append((received.envelope.id, event.account_id))


async def flush_applied(session: AsyncSession) -> None:
    """The inbox's end-of-batch hook: the batch's effects as one set statement."""
    pending = session.info.pop(_PENDING, [])
    if pending:
        await session.execute(_INSERT_APPLIED, {"e": [e for e, _ in pending], "a": [a for _, a in pending]})


async def outbox_to_inbox(producer_url: str, consumer_url: str) -> float:
    prefix = f"bench-{uuid.uuid4().hex[:8]}."
    p_engine = make_engine(producer_url, application_name="bench-relay")
    c_engine = make_engine(consumer_url, application_name="bench-inbox")
    relays = [
        OutboxRelay(p_engine, make_sessionmaker(p_engine), bootstrap=KAFKA, topic_prefix=prefix, name=f"bench-{r}")
        for r in range(RELAYS)
    ]
    inboxes = [
        InboxConsumer(
            name="bench.applier",
            topics=["wallet"],
            sessions=make_sessionmaker(c_engine),
            handlers={"wallet.account.created": apply},
            registry=EVENT_TYPES,
            bootstrap=KAFKA,
            topic_prefix=prefix,
            on_batch_end=flush_applied,
        )
        for _ in range(CONSUMERS)
    ]
    stop = asyncio.Event()
    started = time.perf_counter()
    tasks = [asyncio.create_task(r.run(stop)) for r in relays] + [asyncio.create_task(i.run(stop)) for i in inboxes]
    while sum(i.applied for i in inboxes) < N:
        await asyncio.sleep(0.05)
        if all(t.done() for t in tasks):
            raise RuntimeError("relay and inbox stopped early")
    elapsed = time.perf_counter() - started
    stop.set()
    await asyncio.gather(*tasks)
    async with make_sessionmaker(c_engine)() as s:
        applied = (await s.execute(text("SELECT count(*) FROM applied"))).scalar_one()
    assert applied == N, f"applied {applied} of {N}"
    await p_engine.dispose()
    await c_engine.dispose()
    return N / elapsed


async def raw_kafka() -> float:
    topic = f"bench-raw-{uuid.uuid4().hex[:8]}"
    envelopes = [
        Envelope(
            id=new_id("evt"),
            type="wallet.account.created",
            source="bench",
            time=utcnow(),
            data=payload(i).model_dump(mode="json"),
        )
        for i in range(N)
    ]
    producer = AIOKafkaProducer(
        bootstrap_servers=KAFKA, enable_idempotence=True, acks="all", linger_ms=5, max_batch_size=256 * 1024
    )
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=KAFKA,
        group_id=topic,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        max_poll_records=500,
    )
    await producer.start()
    started = time.perf_counter()

    async def produce() -> None:
        futures = [
            await producer.send(topic, value=e.value(), key=e.data["account_id"].encode(), headers=e.headers())
            for e in envelopes
        ]
        await asyncio.gather(*futures)

    async def consume() -> None:
        await consumer.start()
        seen = 0
        while seen < N:
            for tp, records in (await consumer.getmany(timeout_ms=200, max_records=500)).items():
                seen += len(records)
                await consumer.commit({tp: records[-1].offset + 1})

    await asyncio.gather(produce(), consume())
    elapsed = time.perf_counter() - started
    await producer.stop()
    await consumer.stop()
    return N / elapsed


async def main() -> None:
    producer_url, consumer_url = prepare()
    await fill_outbox(producer_url)
    raw = await raw_kafka()
    ours = await outbox_to_inbox(producer_url, consumer_url)
    print(
        f"events: {N} events, outbox->inbox {ours:.0f} ev/s, raw kafka {raw:.0f} ev/s, ratio {ours / raw:.3f}, "
        f"relays {RELAYS}, consumers {CONSUMERS}"
    )


if __name__ == "__main__":
    if os.environ.get("BENCH_LOOP", "uvloop") == "uvloop":
        # The loop the services' workers run on (trickle_kit.batch_process); raw Kafka is measured
        # on the same loop. BENCH_LOOP=asyncio for asyncio's own.
        import uvloop

        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(main())
    else:
        asyncio.run(main())
