"""Webhook deliveries per second: Kafka events → routing → signed HTTP deliveries to a local receiver.

    make bench-webhooks        (BENCH_WEBHOOK_EVENTS=50000, BENCH_WEBHOOK_ENDPOINTS=100, BENCH_WEBHOOK_DEAD=5)

The receiver is a separate process (uvicorn, a bare ASGI app answering 200); the dead
endpoints point at a path of it that never answers, so their attempts time out while the
others are served. Each event concerns one of the accounts, each account has one endpoint.

The baseline, in the same run and after the worker has stopped: the same receiver, the same
healthy deliveries (their bodies, URLs and secrets read back from the database first), each
signed with ``standardwebhooks`` at send time and POSTed by plain httpx from this process with the
worker's concurrency (``delivery_concurrency``); no database while sending. One
``httpx.AsyncClient`` per endpoint URL, as the worker has: a single client shared by 64 requests
in flight was about half as fast here (its pool scans every connection per request), which would
flatter the ratio.
The ratio is the worker's rate over that bare rate, so machines of different speeds compare.

Last line: ``webhooks: N deliveries, X/s, p99 enqueue-to-delivery A ms, dead endpoints D, bare B/s, ratio R``.
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
from pathlib import Path

import httpx
from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select, text
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
from trickle_webhook.delivery.signing import new_secret
from trickle_webhook.messages.models import SUCCEEDED, WebhookMessage
from trickle_webhook.settings import Settings
from trickle_webhook.webhook_endpoints.models import WebhookEndpoint
from trickle_webhook.worker import run as run_as_worker

N = int(os.environ.get("BENCH_WEBHOOK_EVENTS", "50000"))
ENDPOINTS = int(os.environ.get("BENCH_WEBHOOK_ENDPOINTS", "100"))
DEAD = int(os.environ.get("BENCH_WEBHOOK_DEAD", "5"))
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


async def publish(prefix: str, accounts: list[str]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA, acks="all", linger_ms=20, max_batch_size=512 * 1024)
    await producer.start()
    try:
        futures = []
        for i in range(N):
            account = accounts[i % len(accounts)]
            event = AccountUpdated(account_id=account, display_name=f"n{i}", kind="person", currency="EUR")
            env = Envelope(
                id=new_id("evt"),
                type=event.event_type,
                source="bench",
                time=utcnow(),
                data=event.model_dump(mode="json"),
            )
            futures.append(
                await producer.send(
                    prefix + event.topic, value=env.value(), key=account.encode(), headers=env.headers()
                )
            )
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


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
        accounts = [new_id("acct") for _ in range(ENDPOINTS)]
        dead_ids = set()
        async with sessions() as session, session.begin():
            for i, account in enumerate(accounts):
                dead = i < DEAD
                endpoint_id = new_id("ep")
                if dead:
                    dead_ids.add(endpoint_id)
                session.add(
                    WebhookEndpoint(
                        id=endpoint_id,
                        account_id=account,
                        url=f"http://127.0.0.1:{port}/{'dead' if dead else 'ok'}/{i}",
                        secret=new_secret(),
                    )
                )
        healthy_expected = N - sum(1 for i in range(N) if i % ENDPOINTS < DEAD)
        await publish(prefix, accounts)
        print(f"published {N} events for {ENDPOINTS} endpoints ({DEAD} dead)", flush=True)

        stop = asyncio.Event()
        router = router_consumer(settings, sessions)
        worker = DeliveryWorker(settings, engine, sessions)
        started = time.perf_counter()
        tasks = [asyncio.create_task(router.run(stop)), asyncio.create_task(worker.run(stop))]
        ok = 0
        deadline = started + max(300.0, N / 50)
        while time.perf_counter() < deadline:
            await asyncio.sleep(1.0)
            async with sessions() as session:
                ok = int(
                    (
                        await session.execute(
                            select(func.count()).select_from(WebhookMessage).where(WebhookMessage.status == SUCCEEDED)
                        )
                    ).scalar_one()
                )
            elapsed = time.perf_counter() - started
            print(f"  {elapsed:6.1f} s  routed {router.applied:>6}  delivered {ok:>6}", flush=True)
            if ok >= healthy_expected:
                break
        elapsed = time.perf_counter() - started
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
            dead_down = int(
                (
                    await session.execute(
                        select(func.count())
                        .select_from(WebhookEndpoint)
                        .where(WebhookEndpoint.id.in_(dead_ids), WebhookEndpoint.failing_since.is_not(None))
                    )
                ).scalar_one()
            )
            rows = (
                await session.execute(
                    text(
                        "SELECT m.id, e.url, e.secret, m.body FROM webhook_messages m "
                        "JOIN webhook_endpoints e ON e.id = m.endpoint_id "
                        "WHERE m.status = 'succeeded' ORDER BY m.created_at"
                    )
                )
            ).all()
        await engine.dispose()
        # The same bodies as delivered: compact JSON, as the sender encodes them.
        targets = [(r.id, r.url, r.secret, json.dumps(r.body, separators=(",", ":"), ensure_ascii=False)) for r in rows]
        bare = await bare_rate(targets, settings.delivery_concurrency)
    finally:
        receiver.kill()  # its dead endpoints hold requests open: no graceful shutdown
        receiver.wait(timeout=10)
    rate = ok / elapsed if elapsed else 0.0
    print(f"(healthy expected {healthy_expected}; dead endpoints seen failing {dead_down}/{DEAD})")
    p99_ms = float(p99 or 0)
    ratio = rate / bare if bare else 0.0
    print(
        f"webhooks: {ok} deliveries, {rate:.0f}/s, p99 enqueue-to-delivery {p99_ms:.0f} ms, dead endpoints {DEAD}, "
        f"bare {bare:.0f}/s, ratio {ratio:.2f}"
    )


if __name__ == "__main__":
    # The router and the delivery loop run as in the worker process (python -m trickle_webhook.worker).
    run_as_worker(main())
