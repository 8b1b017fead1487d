"""Webhook deliveries per second: Kafka events → routing → signed HTTP deliveries to a local receiver.

    make bench-webhooks        (BENCH_WEBHOOK_EVENTS=50000, BENCH_WEBHOOK_ENDPOINTS=100, BENCH_WEBHOOK_DEAD=5)

The receiver is a separate process (uvicorn, a bare ASGI app answering 200); the dead
endpoints point at a path of it that never answers, so their attempts time out while the
others are served. Each event concerns one of the accounts, each account has one endpoint.

The baseline, in the same run, once before the worker starts and once after it has stopped (the
machine's load drifts over minutes; the mean of the two is ``bare``): the same receiver, the same
healthy deliveries (before: their bodies as routing makes them, with the endpoints' URLs and
secrets; after: read back from the database), each signed with ``standardwebhooks`` at send time
and POSTed by plain httpx from this process with the worker's concurrency
(``delivery_concurrency``); no database while sending. One ``httpx.AsyncClient`` per endpoint
URL, as the worker has: a single client shared by 64 requests in flight was about half as fast
here (its pool scans every connection per request), which would flatter the ratio.
The ratio is the worker's rate over that bare rate, so machines of different speeds compare. The
worker's run ends when every healthy delivery is recorded (watched through the worker's own
count, then confirmed by one query: no count over the messages every second during the run).

The p99 enqueue-to-delivery of that run is the wait in a backlog published up front: it measures
the queue, not the dead endpoints. Their effect is measured after the baseline, on fresh endpoints
(the same number, the same dead share; the first ones disabled) and a fresh worker: a stream of
events paced at half the worker's measured rate (``BENCH_WEBHOOK_PACE`` events/s to override),
first for ``BENCH_WEBHOOK_PHASE_S`` seconds to the healthy endpoints alone, then as long to them
and, at the same rate per endpoint, to the dead ones (whose attempts hang until the 15 s
time-out, then fail and are retried). The healthy endpoints' latency from publishing the event to
its delivery (``delivered_at``; the worker runs in this process, on the same clock) is compared
between the two phases.

CPU per delivery of this process, the receiver and PostgreSQL (read from ``/proc``, so local
clusters only) is printed for the worker's run and for the baseline: on a busy machine the ratio
is about the ratio of those costs.

Last line: ``webhooks: N deliveries, X/s, p99 enqueue-to-delivery A ms, dead endpoints D,
healthy p99 H ms (H0 ms without dead), bare B/s, ratio R``.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks import Webhook

from trickle_events import ALL_TOPICS
from trickle_events.wallet import AccountUpdated
from trickle_kit.db import make_engine, make_sessionmaker
from trickle_kit.envelope import Envelope, utcnow
from trickle_kit.ids import new_id
from trickle_kit.kafka import ensure_topics
from trickle_kit.testing import KAFKA, fresh_database, unique_prefix
from trickle_webhook.consumers import router_consumer
from trickle_webhook.delivery.dispatcher import DeliveryWorker
from trickle_webhook.delivery.signing import encode_body, new_secret
from trickle_webhook.messages.models import SUCCEEDED, WebhookMessage
from trickle_webhook.messages.service import delivery_body
from trickle_webhook.settings import Settings
from trickle_webhook.webhook_endpoints.models import WebhookEndpoint
from trickle_webhook.worker import run as run_as_worker

N = int(os.environ.get("BENCH_WEBHOOK_EVENTS", "50000"))
ENDPOINTS = int(os.environ.get("BENCH_WEBHOOK_ENDPOINTS", "100"))
DEAD = int(os.environ.get("BENCH_WEBHOOK_DEAD", "5"))
PHASE_S = float(os.environ.get("BENCH_WEBHOOK_PHASE_S", "30"))
PACE = float(os.environ.get("BENCH_WEBHOOK_PACE", "0"))  # 0: half the worker's measured rate
SERVICE_DIR = Path(__file__).resolve().parents[1] / "services" / "webhook"

RECEIVER = textwrap.dedent(
    """
    import asyncio, sys, uvicorn

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        if scope["path"].startswith("/dead"):
            await asyncio.sleep(3600)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok"})

    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="error", http="httptools",
                loop="uvloop", lifespan="off", access_log=False, backlog=4096)
    """
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout_s: float = 15) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("receiver did not start")


def _event(account: str, name: str) -> Envelope:
    """An ``AccountUpdated`` for ``account``, stamped now."""
    event = AccountUpdated(account_id=account, display_name=name, kind="person", currency="EUR")
    return Envelope(
        id=new_id("evt"), type=event.event_type, source="bench", time=utcnow(), data=event.model_dump(mode="json")
    )


async def publish(prefix: str, accounts: list[str]) -> list[tuple[str, str]]:
    """``N`` events to ``accounts`` in turn; (account, body its endpoint will be sent) of each, in order."""
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA, acks="all", linger_ms=20, max_batch_size=512 * 1024)
    await producer.start()
    bodies: list[tuple[str, str]] = []
    try:
        futures = []
        topic = prefix + AccountUpdated.topic
        for i in range(N):
            account = accounts[i % len(accounts)]
            env = _event(account, f"n{i}")
            futures.append(await producer.send(topic, value=env.value(), key=account.encode(), headers=env.headers()))
            bodies.append((account, encode_body(delivery_body(env, account))))  # as routing makes it
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
    return bodies


async def publish_paced(
    producer: AIOKafkaProducer, prefix: str, accounts: list[str], rate: float, seconds: float, label: str
) -> dict[str, str]:
    """Events to ``accounts`` in turn, ``rate`` per second for ``seconds``; event id -> account.

    Each event's time (its body's ``timestamp``) is taken just before it is handed to the producer.
    """
    topic = prefix + AccountUpdated.topic
    sent: dict[str, str] = {}
    futures = []
    started = time.perf_counter()
    i = 0
    while (elapsed := time.perf_counter() - started) < seconds:
        while i < int(elapsed * rate) + 1:
            account = accounts[i % len(accounts)]
            env = _event(account, f"{label}{i}")
            futures.append(await producer.send(topic, value=env.value(), key=account.encode(), headers=env.headers()))
            sent[env.id] = account
            i += 1
        await asyncio.sleep(0.005)
    await asyncio.gather(*futures)
    return sent


async def bare_rate(targets: list[tuple[str, str, str, str]], concurrency: int) -> float:
    """Deliveries per second of ``(message id, url, secret, body)`` POSTed, signed, by plain httpx
    (a client per URL) with ``concurrency`` requests in flight; every answer must be a 2xx."""
    queue = iter(targets)
    failures = resent = 0
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=16)
    tls = httpx.create_ssl_context()  # loading the CA bundle takes tens of ms: once, not per client
    urls = {url for _, url, _, _ in targets}
    clients = {url: httpx.AsyncClient(timeout=30.0, limits=limits, trust_env=False, verify=tls) for url in urls}

    async def sender() -> None:
        nonlocal failures, resent
        for message_id, url, secret, body in queue:
            now = utcnow()
            headers = {
                "content-type": "application/json",
                "webhook-id": message_id,
                "webhook-timestamp": str(int(now.timestamp())),
                "webhook-signature": Webhook(secret).sign(message_id, now, body),
            }
            for tries_left in (2, 1, 0):
                # A kept-alive connection the receiver closed as it was reused: send again (counted).
                try:
                    response = await clients[url].post(url, content=body.encode(), headers=headers)
                    break
                except httpx.TransportError:
                    if not tries_left:
                        raise
                    resent += 1
            if not response.is_success:
                failures += 1

    try:
        started = time.perf_counter()
        await asyncio.gather(*(sender() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    finally:
        for client in clients.values():
            await client.aclose()
    if failures:
        raise RuntimeError(f"baseline: {failures} deliveries not answered 2xx")
    if resent:
        print(f"(baseline: {resent} requests sent again after a transport error)")
    return len(targets) / elapsed if elapsed else 0.0


CLK_TCK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    """``/proc/<pid>/stat`` from field 3 (state) on: field n is at index n - 3."""
    return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()


def _cpu_s(pid: int, reaped_children: bool = False) -> float:
    fields = _stat(pid)
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if reaped_children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime: children it has waited for
    return ticks / CLK_TCK


class CpuMeter:
    """CPU seconds used by this process, the receiver and the local PostgreSQL cluster (its
    postmaster, every live child, and the children that have exited, counted in the postmaster)."""

    def __init__(self, receiver_pid: int, postmaster_pid: int | None) -> None:
        self.receiver_pid = receiver_pid
        self.postmaster_pid = postmaster_pid

    def _postgres_s(self) -> float | None:
        if self.postmaster_pid is None:
            return None
        total = _cpu_s(self.postmaster_pid, reaped_children=True)
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if int(_stat(int(entry.name))[1]) == self.postmaster_pid:
                        total += _cpu_s(int(entry.name))
                except (OSError, IndexError, ValueError):
                    pass  # exited meanwhile
        return total

    def sample(self) -> tuple[float, float, float | None]:
        return time.process_time(), _cpu_s(self.receiver_pid), self._postgres_s()

    @staticmethod
    def per_delivery(
        before: tuple[float, float, float | None], after: tuple[float, float, float | None], n: int
    ) -> str:
        def ms(a: float | None, b: float | None) -> str:
            return "n/a" if a is None or b is None or not n else f"{(b - a) * 1000 / n:.2f} ms"

        return (
            f"this process {ms(before[0], after[0])}, receiver {ms(before[1], after[1])}, "
            f"PostgreSQL {ms(before[2], after[2])}"
        )


async def postmaster_pid(sessions: async_sessionmaker[AsyncSession]) -> int | None:
    """The local cluster's postmaster (the parent of our backend), or None if not on this machine."""
    async with sessions() as session:
        backend = int((await session.execute(text("SELECT pg_backend_pid()"))).scalar_one())
    return _postgres_parent(backend)


def _postgres_parent(backend: int) -> int | None:
    try:
        parent = int(_stat(backend)[1])
        return parent if Path(f"/proc/{parent}/comm").read_text().strip() in {"postgres", "postmaster"} else None
    except (OSError, IndexError, ValueError):
        return None


@dataclass(frozen=True)
class Endpoints:
    """``ENDPOINTS`` accounts with one endpoint each, the first ``DEAD`` of them dead."""

    accounts: list[str]
    dead_ids: list[str]
    url_and_secret: dict[str, tuple[str, str]]  # by account


async def create_endpoints(sessions: async_sessionmaker[AsyncSession], port: int) -> Endpoints:
    endpoints = Endpoints([new_id("acct") for _ in range(ENDPOINTS)], [], {})
    async with sessions() as session, session.begin():
        for i, account in enumerate(endpoints.accounts):
            endpoint_id = new_id("ep")
            if i < DEAD:
                endpoints.dead_ids.append(endpoint_id)
            url = f"http://127.0.0.1:{port}/{'dead' if i < DEAD else 'ok'}/{i}"
            secret = new_secret()
            endpoints.url_and_secret[account] = url, secret
            session.add(WebhookEndpoint(id=endpoint_id, account_id=account, url=url, secret=secret))
    return endpoints


async def dead_failing(sessions: async_sessionmaker[AsyncSession], dead_ids: list[str]) -> int:
    async with sessions() as session:
        return int(
            (
                await session.execute(
                    select(func.count())
                    .select_from(WebhookEndpoint)
                    .where(WebhookEndpoint.id.in_(dead_ids), WebhookEndpoint.failing_since.is_not(None))
                )
            ).scalar_one()
        )


async def succeeded_count(sessions: async_sessionmaker[AsyncSession], event_ids: list[str] | None = None) -> int:
    stmt = select(func.count()).select_from(WebhookMessage).where(WebhookMessage.status == SUCCEEDED)
    if event_ids is not None:
        stmt = stmt.where(WebhookMessage.event_id.in_(event_ids))
    async with sessions() as session:
        return int((await session.execute(stmt)).scalar_one())


@dataclass(frozen=True)
class Latency:
    """Publish-to-delivery of one phase's healthy events (ms), and their attempts' HTTP latency."""

    delivered: int
    expected: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    attempt_p99_ms: float

    def __str__(self) -> str:
        return (
            f"{self.delivered}/{self.expected} delivered, p50 {self.p50_ms:.0f} ms, p99 {self.p99_ms:.0f} ms, "
            f"max {self.max_ms:.0f} ms, attempt p99 {self.attempt_p99_ms:.0f} ms"
        )


LATENCY = text(
    """
    SELECT count(*) AS n,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS p50,
           percentile_cont(0.99) WITHIN GROUP (ORDER BY d) AS p99,
           max(d) AS top
    FROM (SELECT extract(epoch FROM m.delivered_at - CAST(m.body ->> 'timestamp' AS timestamptz)) * 1000 AS d
          FROM webhook_messages m WHERE m.event_id = ANY(CAST(:ids AS text[])) AND m.status = 'succeeded') s
    """
)
ATTEMPT_LATENCY = text(
    """
    SELECT coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY a.latency_ms), 0)
    FROM webhook_attempts a JOIN webhook_messages m ON m.id = a.message_id
    WHERE m.event_id = ANY(CAST(:ids AS text[]))
    """
)


async def latency_of(sessions: async_sessionmaker[AsyncSession], event_ids: list[str]) -> Latency:
    async with sessions() as session:
        row = (await session.execute(LATENCY, {"ids": event_ids})).one()
        attempt_p99 = (await session.execute(ATTEMPT_LATENCY, {"ids": event_ids})).scalar_one()
    return Latency(
        int(row.n), len(event_ids), float(row.p50 or 0), float(row.p99 or 0), float(row.top or 0), float(attempt_p99)
    )


async def dead_endpoint_effect(
    settings: Settings, prefix: str, port: int, pace: float
) -> tuple[Latency, Latency, int, int]:
    """The healthy endpoints' latency under a paced stream, without and then with dead endpoints
    (see the module's docstring); also how many dead endpoints were seen failing, of how many."""
    engine = make_engine(settings.database_url, application_name="bench-webhooks-latency", pool_size=10)
    sessions = make_sessionmaker(engine)
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA, acks="all")
    try:
        async with sessions() as session, session.begin():  # the throughput run's endpoints are done
            await session.execute(text("UPDATE webhook_endpoints SET enabled = false"))
        endpoints = await create_endpoints(sessions, port)
        accounts, dead_ids = endpoints.accounts, endpoints.dead_ids
        healthy_accounts = accounts[DEAD:]
        stop = asyncio.Event()
        router = router_consumer(settings, sessions)
        worker = DeliveryWorker(settings, engine, sessions)
        tasks = [asyncio.create_task(router.run(stop)), asyncio.create_task(worker.run(stop))]
        await producer.start()
        await worker.started.wait()
        per_endpoint = pace / len(healthy_accounts)
        print(
            f"dead endpoints' effect: {pace:.0f} events/s to the healthy endpoints, {PHASE_S:.0f} s per phase",
            flush=True,
        )
        without = await publish_paced(producer, prefix, healthy_accounts, pace, PHASE_S, "a")
        print("  without dead endpoints: published", flush=True)
        # The same stream to the healthy endpoints, interleaved with the dead ones at the same per-endpoint rate.
        with_dead = await publish_paced(producer, prefix, accounts, per_endpoint * len(accounts), PHASE_S, "b")
        print("  with dead endpoints: published", flush=True)
        healthy = set(healthy_accounts)
        without_ids = list(without)
        with_ids = [e for e, account in with_dead.items() if account in healthy]
        deadline = time.perf_counter() + 120.0
        while time.perf_counter() < deadline:
            if await succeeded_count(sessions, without_ids + with_ids) >= len(without_ids) + len(with_ids):
                break
            await asyncio.sleep(0.5)
        stop.set()
        await asyncio.wait(tasks, timeout=settings.attempt_timeout_s + 5)
        failing = await dead_failing(sessions, dead_ids)
        return await latency_of(sessions, without_ids), await latency_of(sessions, with_ids), failing, len(dead_ids)
    finally:
        await producer.stop()
        await engine.dispose()


async def main() -> None:
    url = fresh_database("bench_webhooks", SERVICE_DIR)
    prefix = unique_prefix("benchwh")
    await ensure_topics(KAFKA, [prefix + t for t in ALL_TOPICS])
    port = free_port()
    receiver = subprocess.Popen([sys.executable, "-c", RECEIVER, str(port)])  # noqa: ASYNC220 (before any load)
    try:
        wait_for_port(port)
        settings = Settings(
            database_url=url,
            topic_prefix=prefix,
            ssrf_allow=["127.0.0.0/8"],
            log_level="WARNING",
            db_pool_size=10,
        )
        engine = make_engine(url, application_name="bench-webhooks", pool_size=10)
        sessions = make_sessionmaker(engine)
        meter = CpuMeter(receiver.pid, await postmaster_pid(sessions))
        endpoints = await create_endpoints(sessions, port)
        healthy_expected = N - sum(1 for i in range(N) if i % ENDPOINTS < DEAD)
        bodies = await publish(prefix, endpoints.accounts)
        print(f"published {N} events for {ENDPOINTS} endpoints ({DEAD} dead)", flush=True)
        # The baseline before the worker runs too (the machine's load drifts over minutes): the
        # healthy endpoints' bodies as routing will make them, in publishing order.
        dead_accounts = set(endpoints.accounts[:DEAD])
        targets_before = [
            (new_id("msg"), *endpoints.url_and_secret[account], body)
            for account, body in bodies
            if account not in dead_accounts
        ]
        cpu_first = meter.sample()
        bare_before = await bare_rate(targets_before, settings.delivery_concurrency)
        cpu_first_bare = CpuMeter.per_delivery(cpu_first, meter.sample(), len(targets_before))
        print(f"bare before the worker: {bare_before:.0f}/s", flush=True)

        stop = asyncio.Event()
        router = router_consumer(settings, sessions)
        worker = DeliveryWorker(settings, engine, sessions)
        cpu_before = meter.sample()
        started = time.perf_counter()
        tasks = [asyncio.create_task(router.run(stop)), asyncio.create_task(worker.run(stop))]
        deadline = started + max(300.0, N / 50)
        shown = 0.0
        # The worker's own count (in memory) says when to look; the end is when the database has
        # every delivery recorded. No count over the messages every second: PostgreSQL's CPU
        # is part of what the run measures.
        while time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
            elapsed = time.perf_counter() - started
            if elapsed - shown >= 1.0:
                shown = elapsed
                print(f"  {elapsed:6.1f} s  routed {router.applied:>6}  delivered {worker.delivered:>6}", flush=True)
            if worker.delivered >= healthy_expected and await succeeded_count(sessions) >= healthy_expected:
                break
        elapsed = time.perf_counter() - started
        ok = await succeeded_count(sessions)
        cpu_worker = meter.sample()
        stop.set()
        await asyncio.wait(tasks, timeout=settings.attempt_timeout_s + 5)
        async with sessions() as session:
            p99 = (
                await session.execute(
                    text(
                        "SELECT percentile_cont(0.99) WITHIN GROUP "
                        "(ORDER BY extract(epoch FROM delivered_at - created_at) * 1000) "
                        "FROM webhook_messages WHERE status = 'succeeded'"
                    )
                )
            ).scalar_one()
            rows = (
                await session.execute(
                    text(
                        "SELECT m.id, e.url, e.secret, m.body FROM webhook_messages m "
                        "JOIN webhook_endpoints e ON e.id = m.endpoint_id "
                        "WHERE m.status = 'succeeded' ORDER BY m.event_id"
                    )
                )
            ).all()
        dead_down = await dead_failing(sessions, endpoints.dead_ids)
        await engine.dispose()
        # The same bodies as delivered (compact JSON, as the sender encodes them), in publishing
        # order (event ids are uuid7), as before the worker: endpoint after endpoint in turn. In
        # the order they were routed (created_at, then as it comes), a few messages of one
        # endpoint ran in a row, its client held several connections, and each request cost
        # about 40 % more CPU here and in the receiver (docs/benchmarks.md): a slower baseline.
        targets = [(r.id, r.url, r.secret, json.dumps(r.body, separators=(",", ":"), ensure_ascii=False)) for r in rows]
        rate = ok / elapsed if elapsed else 0.0
        print(f"(healthy expected {healthy_expected}; dead endpoints seen failing {dead_down}/{DEAD})")
        print(f"cpu per delivery, worker: {CpuMeter.per_delivery(cpu_before, cpu_worker, ok)}", flush=True)
        cpu_bare_before = meter.sample()
        bare_after = await bare_rate(targets, settings.delivery_concurrency)
        cpu_bare = meter.sample()
        print(f"cpu per delivery, bare before the worker: {cpu_first_bare}")
        cpu_last_bare = CpuMeter.per_delivery(cpu_bare_before, cpu_bare, len(targets))
        print(f"cpu per delivery, bare after the worker:  {cpu_last_bare}")
        bare = (bare_before + bare_after) / 2
        print(f"bare: {bare_before:.0f}/s before the worker, {bare_after:.0f}/s after; the mean is the baseline")
        without, with_dead, failing, dead_total = await dead_endpoint_effect(
            settings, prefix, port, PACE or max(rate / 2, 1.0)
        )
    finally:
        receiver.kill()  # its dead endpoints hold requests open: no graceful shutdown
        receiver.wait(timeout=10)
    print(f"healthy endpoints, no dead endpoint:  {without}")
    print(f"healthy endpoints, {DEAD} dead endpoints: {with_dead} (dead endpoints seen failing {failing}/{dead_total})")
    p99_ms = float(p99 or 0)
    ratio = rate / bare if bare else 0.0
    print(
        f"webhooks: {ok} deliveries, {rate:.0f}/s, p99 enqueue-to-delivery {p99_ms:.0f} ms, dead endpoints {DEAD}, "
        f"healthy p99 {with_dead.p99_ms:.0f} ms ({without.p99_ms:.0f} ms without dead), "
        f"bare {bare:.0f}/s, ratio {ratio:.2f}"
    )


if __name__ == "__main__":
    # The router and the delivery loop run as in the worker process (python -m trickle_webhook.worker).
    run_as_worker(main())
