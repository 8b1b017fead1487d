"""Events per second through outbox → relay → Kafka → inbox, against raw aiokafka produce+consume.

    make bench-events            (BENCH_EVENTS=100000 by default)

Last line: ``events: N events, outbox->inbox X ev/s, raw kafka Y ev/s, ratio X/Y, relays R, consumers K``.

Both paths run in the layout of the services (``BENCH_LAYOUT=processes``, the default): the relay in
one OS process (the producing service's worker) and the inbox consumer in another (the consuming
service's worker); raw Kafka is measured the same way, its producer in one process and its consumer
in another, running at once. ``BENCH_RELAYS`` and ``BENCH_CONSUMERS`` (1 each by default) are the
numbers of such processes on either side: relays compete for the outbox's leadership (one publishes,
the others stand by), consumers share the topic's partitions in one group; raw Kafka gets as many
producer processes (each sending its share of the events) and consumer processes. So with R > 1 raw
Kafka gets R active producers while the outbox gets stand-bys: R = 1 is the like-for-like setting
as long as one relay leads (R = 2: raw 36,753 ev/s against ~25,000-30,000 with R = 1). The clock starts
once every process has imported, connected to its database and built its events, and stops when the
consumers have applied (seen) all N. ``BENCH_LAYOUT=one-process`` runs each path in this process, as
the benchmark did before (relays and consumers as tasks). Both topics are created beforehand with the
broker's default partition count, as a deployment's are, and deleted at the end. In the process
layout each path also prints a line with its rate, each process's CPU time per event while timed,
the whole machine's (``/proc/stat``: PostgreSQL, Kafka and anything else running included) and when
each side had done all N (the relays: every row published and committed).

Every process runs on uvloop, the loop the services' workers run on (``BENCH_LOOP=asyncio``:
asyncio's own).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from collections.abc import Awaitable, Callable, Coroutine
from multiprocessing.synchronize import Barrier, Event
from typing import Any, Protocol

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import create_engine, insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events import EVENT_TYPES
from trickle_events.wallet import AccountCreated
from trickle_kit.db import KitBase, make_engine, make_sessionmaker, sync_url
from trickle_kit.envelope import Envelope, utcnow
from trickle_kit.ids import new_id
from trickle_kit.inbox import InboxConsumer, Received
from trickle_kit.kafka import ensure_topics
from trickle_kit.relay import OutboxRelay
from trickle_kit.tables import OutboxRecord
from trickle_kit.testing import KAFKA, delete_topics_with_prefixes, fresh_database, unique_prefix

N = int(os.environ.get("BENCH_EVENTS", "100000"))
RELAYS = int(os.environ.get("BENCH_RELAYS", "1"))  # relays on the producer database (processes, or tasks)
CONSUMERS = int(os.environ.get("BENCH_CONSUMERS", "1"))  # inbox consumers of one group (processes, or tasks)
LAYOUT = os.environ.get("BENCH_LAYOUT", "processes")  # or "one-process"
PARTITIONS = 6  # the broker's num.partitions (var/kafka/server.properties), as auto-created topics had


class Counter(Protocol):
    """A shared int a benchmark process raises as it goes (events published, applied or seen)."""

    value: int


class CpuSeconds(Protocol):
    """A shared float: the CPU time a benchmark process spent while timed."""

    value: float


def busy_seconds() -> float:
    """CPU time the whole machine has spent busy (every core; /proc/stat), in seconds."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


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


def make_relay(producer_url: str, prefix: str, index: int) -> tuple[OutboxRelay, Callable[[], Awaitable[None]]]:
    engine = make_engine(producer_url, application_name=f"bench-relay-{index}")
    relay = OutboxRelay(engine, bootstrap=KAFKA, topic_prefix=prefix, name=f"bench-{index}")
    return relay, engine.dispose


def make_inbox(consumer_url: str, prefix: str, index: int) -> tuple[InboxConsumer, Callable[[], Awaitable[None]]]:
    engine = make_engine(consumer_url, application_name=f"bench-inbox-{index}")
    inbox = InboxConsumer(
        name="bench.applier",
        topics=["wallet"],
        sessions=make_sessionmaker(engine),
        handlers={"wallet.account.created": apply},
        registry=EVENT_TYPES,
        bootstrap=KAFKA,
        topic_prefix=prefix,
        on_batch_end=flush_applied,
    )
    return inbox, engine.dispose


async def count_applied(consumer_url: str) -> int:
    engine = make_engine(consumer_url, application_name="bench-check")
    try:
        async with make_sessionmaker(engine)() as s:
            return int((await s.execute(text("SELECT count(*) FROM applied"))).scalar_one())
    finally:
        await engine.dispose()


def envelopes(indexes: range) -> list[Envelope]:
    return [
        Envelope(
            id=new_id("evt"),
            type="wallet.account.created",
            source="bench",
            time=utcnow(),
            data=payload(i).model_dump(mode="json"),
        )
        for i in indexes
    ]


def raw_producer() -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=KAFKA, enable_idempotence=True, acks="all", linger_ms=5, max_batch_size=256 * 1024
    )


def raw_consumer(topic: str) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        topic,
        bootstrap_servers=KAFKA,
        group_id=topic,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        max_poll_records=500,
    )


async def produce_raw(producer: AIOKafkaProducer, topic: str, events: list[Envelope]) -> None:
    futures = [
        await producer.send(topic, value=e.value(), key=e.data["account_id"].encode(), headers=e.headers())
        for e in events
    ]
    await asyncio.gather(*futures)


async def consume_raw(consumer: AIOKafkaConsumer, until: Callable[[int], bool]) -> None:
    """Poll and commit (each partition's last offset, per poll) until ``until(records seen)``."""
    seen = 0
    while not until(seen):
        for tp, records in (await consumer.getmany(timeout_ms=200, max_records=500)).items():
            seen += len(records)
            await consumer.commit({tp: records[-1].offset + 1})


# ---- one process: each path's relays/producer and consumers as tasks of this process ----


async def outbox_to_inbox_here(producer_url: str, consumer_url: str, prefix: str) -> float:
    made_relays = [make_relay(producer_url, prefix, r) for r in range(RELAYS)]
    made_inboxes = [make_inbox(consumer_url, prefix, k) for k in range(CONSUMERS)]
    inboxes = [i for i, _ in made_inboxes]
    stop = asyncio.Event()
    started = time.perf_counter()
    tasks = [asyncio.create_task(r.run(stop)) for r, _ in made_relays]
    tasks += [asyncio.create_task(i.run(stop)) for i in inboxes]
    while sum(i.applied for i in inboxes) < N:
        await asyncio.sleep(0.05)
        if all(t.done() for t in tasks):
            raise RuntimeError("relay and inbox stopped early")
    elapsed = time.perf_counter() - started
    stop.set()
    await asyncio.gather(*tasks)
    for _, dispose in made_relays + made_inboxes:
        await dispose()
    return N / elapsed


async def raw_kafka_here(topic: str) -> float:
    events = envelopes(range(N))
    producer = raw_producer()
    consumer = raw_consumer(topic)
    await producer.start()
    started = time.perf_counter()

    async def consume() -> None:
        await consumer.start()
        await consume_raw(consumer, lambda seen: seen >= N)

    await asyncio.gather(produce_raw(producer, topic, events), consume())
    elapsed = time.perf_counter() - started
    await producer.stop()
    await consumer.stop()
    return N / elapsed


# ---- processes: each relay/producer and each consumer an OS process, as the services run ----


def run_loop(main: Coroutine[Any, Any, None]) -> None:
    if os.environ.get("BENCH_LOOP", "uvloop") == "uvloop":
        # The loop the services' workers run on (trickle_kit.batch_process). BENCH_LOOP=asyncio for asyncio's own.
        import uvloop

        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(main)
    else:
        asyncio.run(main)


async def serve(
    run: Callable[[asyncio.Event], Coroutine[Any, Any, None]],
    count: Callable[[], int],
    start: Barrier,
    stop: Event,
    done: Counter,
    cpu: CpuSeconds,
) -> None:
    """Wait for every process at ``start``, then ``run`` until ``stop``, publishing ``count()`` in ``done``
    and the CPU time this process spent in between in ``cpu``."""
    start.wait()  # blocks the loop: nothing runs in it yet
    cpu_before = time.process_time()
    stopping = asyncio.Event()
    task = asyncio.create_task(run(stopping))
    while not stop.is_set() and not task.done():
        done.value = count()
        await asyncio.sleep(0.01)
    done.value = count()
    cpu.value = time.process_time() - cpu_before
    stopping.set()
    await task


def child(role: str, index: int, target: str, start: Barrier, stop: Event, done: Counter, cpu: CpuSeconds) -> None:
    """One process of the benchmark: ``role`` is relay, inbox, producer or consumer."""

    async def main() -> None:
        if role in ("relay", "inbox"):
            url, prefix = target.split(" ")
            made = make_relay(url, prefix, index) if role == "relay" else make_inbox(url, prefix, index)
            worker, dispose = made
            count = (lambda: worker.published) if isinstance(worker, OutboxRelay) else (lambda: worker.applied)
            await serve(worker.run, count, start, stop, done, cpu)
            await dispose()
        elif role == "producer":
            events = envelopes(range(index, N, RELAYS))  # this producer's share
            producer = raw_producer()
            await producer.start()

            async def produce(stopping: asyncio.Event) -> None:
                await produce_raw(producer, target, events)
                await stopping.wait()

            await serve(produce, lambda: 0, start, stop, done, cpu)
            await producer.stop()
        else:
            consumer = raw_consumer(target)
            seen = 0

            def until(n: int) -> bool:
                nonlocal seen
                seen = n
                return stop.is_set()

            async def consume(stopping: asyncio.Event) -> None:
                await consumer.start()
                await consume_raw(consumer, until)

            await serve(consume, lambda: seen, start, stop, done, cpu)
            await consumer.stop()

    run_loop(main())


def in_processes(label: str, roles: list[tuple[str, str]], counted: str) -> float:
    """Start a process per (role, target), wait until they are all ready, then time them until the
    ``counted`` processes' counters sum to N; events per second."""
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(len(roles) + 1)
    stop = ctx.Event()
    counters = [ctx.Value("q", 0, lock=False) for _ in roles]
    cpus = [ctx.Value("d", 0.0, lock=False) for _ in roles]
    indexes: dict[str, int] = {}
    processes = []
    for (role, target), done, cpu in zip(roles, counters, cpus, strict=True):
        index = indexes[role] = indexes.get(role, -1) + 1
        processes.append(
            ctx.Process(target=child, args=(role, index, target, start, stop, done, cpu), name=f"{role}-{index}")
        )
    for p in processes:
        p.start()
    try:
        start.wait(timeout=120)
        started, busy_before = time.perf_counter(), busy_seconds()
        mine = [c for (role, _), c in zip(roles, counters, strict=True) if role == counted]
        by_role = {role: [c for (r, _), c in zip(roles, counters, strict=True) if r == role] for role, _ in roles}
        finished: dict[str, float] = {}  # when each role's processes had done all N (the relays' publishing)
        while sum(c.value for c in mine) < N:
            time.sleep(0.01)
            for role, of_role in by_role.items():
                if role not in finished and sum(c.value for c in of_role) >= N:
                    finished[role] = time.perf_counter() - started
            if any(p.exitcode is not None for p in processes):
                raise RuntimeError(f"a benchmark process exited early: {[(p.name, p.exitcode) for p in processes]}")
        elapsed, busy = time.perf_counter() - started, busy_seconds() - busy_before
    finally:
        stop.set()
        for p in processes:
            p.join(timeout=60)
            if p.exitcode is None:
                p.kill()
    if any(p.exitcode != 0 for p in processes):
        raise RuntimeError(f"a benchmark process failed: {[(p.name, p.exitcode) for p in processes]}")
    per_process = ", ".join(f"{p.name} {cpu.value / N * 1e6:.0f}" for p, cpu in zip(processes, cpus, strict=True))
    print(
        f"  {label}: {N / elapsed:.0f} ev/s; CPU us/event: {per_process}, whole machine {busy / N * 1e6:.0f} "
        f"({busy / elapsed:.2f} of {os.cpu_count()} cores busy); "
        + ", ".join(f"{role} done at {at:.1f} s" for role, at in {**finished, counted: elapsed}.items()),
        flush=True,
    )
    return N / elapsed


def outbox_to_inbox_processes(producer_url: str, consumer_url: str, prefix: str) -> float:
    roles = [("relay", f"{producer_url} {prefix}")] * RELAYS + [("inbox", f"{consumer_url} {prefix}")] * CONSUMERS
    return in_processes("outbox->inbox", roles, "inbox")


def raw_kafka_processes(topic: str) -> float:
    return in_processes("raw kafka", [("producer", topic)] * RELAYS + [("consumer", topic)] * CONSUMERS, "consumer")


async def setup() -> tuple[str, str, str, str]:
    producer_url, consumer_url = prepare()
    await fill_outbox(producer_url)
    # Issued by unique_prefix: their topics are deleted when this process exits, a failed run's too.
    prefix, raw_topic = unique_prefix("bench"), unique_prefix("bench-raw") + "events"
    await ensure_topics(KAFKA, [prefix + "wallet", raw_topic], partitions=PARTITIONS)
    return producer_url, consumer_url, prefix, raw_topic


async def one_process() -> tuple[float, float, str, str, str]:
    producer_url, consumer_url, prefix, raw_topic = await setup()
    raw = await raw_kafka_here(raw_topic)
    ours = await outbox_to_inbox_here(producer_url, consumer_url, prefix)
    return raw, ours, consumer_url, prefix, raw_topic


def main() -> None:
    if LAYOUT == "one-process":
        holder: list[tuple[float, float, str, str, str]] = []

        async def here() -> None:
            holder.append(await one_process())

        run_loop(here())
        raw, ours, consumer_url, prefix, raw_topic = holder[0]
    elif LAYOUT == "processes":
        producer_url, consumer_url, prefix, raw_topic = asyncio.run(setup())
        raw = raw_kafka_processes(raw_topic)
        ours = outbox_to_inbox_processes(producer_url, consumer_url, prefix)
    else:
        raise SystemExit(f"BENCH_LAYOUT={LAYOUT}: processes or one-process")
    applied = asyncio.run(count_applied(consumer_url))
    assert applied == N, f"applied {applied} of {N}"
    asyncio.run(delete_topics_with_prefixes({prefix, raw_topic}))
    print(
        f"layout {LAYOUT}: raw kafka {RELAYS} producer and {CONSUMERS} consumer processes"
        if LAYOUT == "processes"
        else "layout one-process: each path's tasks in one process"
    )
    print(
        f"events: {N} events, outbox->inbox {ours:.0f} ev/s, raw kafka {raw:.0f} ev/s, ratio {ours / raw:.3f}, "
        f"relays {RELAYS}, consumers {CONSUMERS}"
    )


if __name__ == "__main__":
    main()
