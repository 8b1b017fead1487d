"""The delivery worker: claims due messages, delivers them concurrently, records every attempt.

Isolation: a claim takes at most ``endpoint_concurrency`` messages of one endpoint (1 while it
is failing) minus what this process already has in flight for it, and each delivery runs as its
own task; the loop never awaits a delivery. A slow or dead endpoint therefore holds a few slots
while every other endpoint's messages keep being claimed and sent. Those few slots are held
only ``slow_attempt_s``: an attempt unanswered that long moves from the pool
(``delivery_concurrency``) to a budget of slow attempts (``slow_attempt_slots``), so that even
more hanging endpoints than the pool has room for (pool / ``endpoint_concurrency``) leave it to
the others. The HTTP client has no connection-pool limit and each endpoint has its own client,
so one endpoint's hanging connections cannot make another's requests wait for (or scan past) a
connection.

At-least-once: claiming moves ``next_attempt_at`` forward by the time-out plus a margin (a
lease) and commits before sending. The outcome is written later (in batches); if the process
dies first, the message is due again when the lease runs out and is sent again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import ssl
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from trickle_events.webhook import EndpointDisabled
from trickle_kit.envelope import utcnow
from trickle_kit.ids import new_id
from trickle_webhook.delivery.schedule import RETRY_AFTER_STATUSES, parse_retry_after, retry_delay
from trickle_webhook.delivery.sender import AttemptResult, TargetCache, send_attempt
from trickle_webhook.delivery.signing import delivery_headers, encode_body
from trickle_webhook.delivery.spans import attempt_traced, delivery_span
from trickle_webhook.messages.models import FAILED, PENDING, SUCCEEDED
from trickle_webhook.messages.repository import DUE_CHANNEL
from trickle_webhook.metrics.figures import count_recorded
from trickle_webhook.outbox import OUTBOX
from trickle_webhook.settings import Settings

log = structlog.get_logger("trickle.webhook.delivery")

# The candidates (per endpoint at most its free slots) are chosen without locks; only the
# ``limit`` chosen are locked, SKIP LOCKED, and re-checked under the lock (another worker may have
# leased one meanwhile: READ COMMITTED re-evaluates the WHERE on the newest version). Locking
# inside the per-endpoint subquery locked every endpoint's first rows (hundreds) to keep a few dozen.
# The chosen are spread over endpoints: an endpoint's n-th candidate with k attempts in flight has
# turn k + n, and lower turns go first (then older messages: ids are uuid7). Taking each endpoint's
# oldest messages first overall gave a backlog up to ``endpoint_concurrency`` requests in flight
# per endpoint, as many connections in its pool, and cost about a third more CPU per request here
# and in the receiver than one at a time (docs/benchmarks.md).
CLAIM = text(
    """
    WITH candidates AS (
        SELECT c.id FROM webhook_endpoints e
        CROSS JOIN LATERAL (SELECT coalesce((CAST(:in_flight AS jsonb) ->> e.id)::int, 0) AS busy) f
        CROSS JOIN LATERAL unnest(ARRAY(
            SELECT m.id FROM webhook_messages m
            WHERE m.endpoint_id = e.id AND m.status = 'pending' AND m.next_attempt_at <= now()
            ORDER BY m.next_attempt_at
            LIMIT greatest(
                (CASE WHEN e.failing_since IS NULL THEN CAST(:per_endpoint AS int) ELSE CAST(:per_failing AS int) END)
                - f.busy,
                0)
        )) WITH ORDINALITY AS c(id, turn)
        WHERE e.enabled
        ORDER BY f.busy + c.turn, c.id
        LIMIT CAST(:limit AS int)
    ), picked AS (
        SELECT m.id FROM webhook_messages m JOIN candidates c ON c.id = m.id
        WHERE m.status = 'pending' AND m.next_attempt_at <= now()
        FOR UPDATE OF m SKIP LOCKED
    )
    UPDATE webhook_messages w
    SET next_attempt_at = now() + make_interval(secs => CAST(:lease_s AS float8))
    FROM picked, webhook_endpoints e
    WHERE w.id = picked.id AND e.id = w.endpoint_id
    RETURNING w.id, w.endpoint_id, w.body, w.attempts, w.round_attempts, w.created_at, w.traceparent,
              e.url, e.secret, e.previous_secret, e.previous_secret_expires_at
    """
)

RECORD_ATTEMPTS = text(
    """
    INSERT INTO webhook_attempts (id, message_id, endpoint_id, attempt, outcome, status_code, latency_ms,
                                  response_excerpt, error, started_at)
    SELECT v.* FROM unnest(
        CAST(:ids AS text[]), CAST(:message_ids AS text[]), CAST(:endpoint_ids AS text[]), CAST(:attempts AS int[]),
        CAST(:outcomes AS text[]), CAST(:status_codes AS int[]), CAST(:latencies AS int[]),
        CAST(:excerpts AS text[]), CAST(:errors AS text[]), CAST(:started AS timestamptz[])
    ) AS v(id, message_id, endpoint_id, attempt, outcome, status_code, latency_ms, response_excerpt, error, started_at)
    JOIN webhook_messages m ON m.id = v.message_id
    """
)

SETTLE_MESSAGES = text(
    """
    UPDATE webhook_messages m
    SET status = v.status, attempts = m.attempts + 1, round_attempts = v.round_attempts,
        next_attempt_at = v.next_attempt_at, last_attempt_at = v.last_attempt_at, last_error = v.last_error,
        delivered_at = coalesce(v.delivered_at, m.delivered_at)
    FROM unnest(
        CAST(:ids AS text[]), CAST(:statuses AS text[]), CAST(:rounds AS int[]), CAST(:next_at AS timestamptz[]),
        CAST(:last_at AS timestamptz[]), CAST(:errors AS text[]), CAST(:delivered AS timestamptz[])
    ) AS v(id, status, round_attempts, next_attempt_at, last_attempt_at, last_error, delivered_at)
    WHERE m.id = v.id
    """
)

WRITER_DRAIN_S = 30.0  # at shutdown, how long the outcome writer may take to record what is queued

ENDPOINTS_HEALTHY = text(
    "UPDATE webhook_endpoints SET failing_since = NULL "
    "WHERE id = ANY(CAST(:ids AS text[])) AND failing_since IS NOT NULL"
)
ENDPOINTS_FAILING = text(
    """
    UPDATE webhook_endpoints e SET failing_since = coalesce(e.failing_since, v.at)
    FROM unnest(CAST(:ids AS text[]), CAST(:at AS timestamptz[])) AS v(id, at)
    WHERE e.id = v.id
    RETURNING e.id, e.failing_since, e.enabled
    """
)
DISABLE_ENDPOINT = text(
    """
    UPDATE webhook_endpoints SET enabled = false, disabled_reason = :reason, disabled_at = :at, updated_at = :at
    WHERE id = :id AND enabled
    RETURNING id, account_id
    """
)


@dataclass(frozen=True)
class Claimed:
    message_id: str
    endpoint_id: str
    url: str
    body: str
    attempt: int
    round_attempts: int
    secrets: list[str]
    enqueued_at: datetime
    traceparent: str | None = None  # the event's trace: each attempt is a span of it


@dataclass(frozen=True)
class Outcome:
    claimed: Claimed
    result: AttemptResult


def endpoint_health(outcomes: dict[str, list[Outcome]]) -> tuple[list[str], dict[str, datetime]]:
    """From a batch of outcomes: the endpoints that succeeded at least once, and for each
    endpoint still failing the start of its first failure after its last success (pure)."""
    healthy: list[str] = []
    failing: dict[str, datetime] = {}
    for endpoint_id in sorted(outcomes):
        ordered = sorted(outcomes[endpoint_id], key=lambda o: o.result.finished_at)
        successes = [i for i, o in enumerate(ordered) if o.result.succeeded]
        after = ordered[successes[-1] + 1 :] if successes else ordered
        if successes:
            healthy.append(endpoint_id)
        if after:
            failing[endpoint_id] = after[0].result.started_at
    return healthy, failing


def _claimed(row: Any, now: datetime) -> Claimed:
    secrets = [row.secret]
    if row.previous_secret and row.previous_secret_expires_at and row.previous_secret_expires_at > now:
        secrets.append(row.previous_secret)
    return Claimed(
        message_id=row.id,
        endpoint_id=row.endpoint_id,
        url=row.url,
        body=encode_body(row.body),
        attempt=row.attempts + 1,
        round_attempts=row.round_attempts,
        secrets=secrets,
        enqueued_at=row.created_at,
        traceparent=row.traceparent,
    )


def make_client(settings: Settings, tls: ssl.SSLContext | None = None) -> httpx.AsyncClient:
    """One endpoint's client: its own connection pool, so that no endpoint's connections are
    scanned or waited for on behalf of another. No pool limit (the per-endpoint concurrency bounds
    it); no redirects (a 3xx is a failed attempt); no proxies from the environment."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(settings.attempt_timeout_s),
        limits=httpx.Limits(max_connections=None, max_keepalive_connections=16, keepalive_expiry=30.0),
        follow_redirects=False,
        trust_env=False,
        verify=tls or httpx.create_ssl_context(),
    )


class EndpointClients:
    """An HTTP client per endpoint, closed after it has been idle for a while."""

    def __init__(self, settings: Settings, idle_s: float = 300.0) -> None:
        self.settings = settings
        self.idle_s = idle_s
        self._clients: dict[str, tuple[httpx.AsyncClient, float]] = {}
        self._last_sweep = time.monotonic()
        # Loading the CA bundle takes tens of milliseconds: once, shared by every client.
        self._tls = httpx.create_ssl_context()

    def get(self, endpoint_id: str) -> httpx.AsyncClient:
        now = time.monotonic()
        entry = self._clients.get(endpoint_id)
        client = entry[0] if entry else make_client(self.settings, self._tls)
        self._clients[endpoint_id] = (client, now)
        return client

    async def sweep(self, in_flight: dict[str, int]) -> None:
        now = time.monotonic()
        if now - self._last_sweep < 30:
            return
        self._last_sweep = now
        idle = [e for e, (_, used) in self._clients.items() if now - used > self.idle_s and not in_flight.get(e)]
        for endpoint_id in idle:
            client, _ = self._clients.pop(endpoint_id)
            await client.aclose()

    async def close(self) -> None:
        clients, self._clients = self._clients, {}
        for client, _ in clients.values():
            with contextlib.suppress(Exception):
                await client.aclose()


class DeliveryWorker:
    """Runs until ``stop``: claim due messages, deliver each in its own task, record outcomes."""

    def __init__(
        self,
        settings: Settings,
        engine: AsyncEngine,
        sessions: async_sessionmaker[AsyncSession],
        *,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.sessions = sessions
        self.rng = rng or random.Random()
        self.targets = TargetCache(settings.ssrf_allow, settings.dns_cache_s)
        self.in_flight: dict[str, int] = defaultdict(int)
        self.tasks: set[asyncio.Task[None]] = set()  # every attempt in flight …
        self.pooled: set[asyncio.Task[None]] = set()  # … those holding a slot of the pool …
        self.slow: set[asyncio.Task[None]] = set()  # … and those moved to the slow budget
        self.outcomes: asyncio.Queue[Outcome | None] = asyncio.Queue()  # None: the writer's last item
        self.wake = asyncio.Event()
        self.delivered = 0
        self.attempted = 0
        self.started = asyncio.Event()
        self.clients = EndpointClients(settings)

    @property
    def lease_s(self) -> float:
        return self.settings.attempt_timeout_s + self.settings.lease_margin_s

    async def run(self, stop: asyncio.Event) -> None:
        writer = asyncio.create_task(self._write_outcomes())
        listener = await self._listen()
        self.started.set()
        try:
            while not stop.is_set():
                try:
                    claimed = await self._claim_once()
                except Exception as exc:  # the database went away: keep the loop alive
                    log.warning("webhook_claim_failed", error=repr(exc))
                    claimed = -1
                if claimed == 0 or claimed < 0:
                    await self._wait(stop, self.settings.poll_interval_s if claimed == 0 else 1.0)
                elif len(self.pooled) >= self.settings.delivery_concurrency:
                    await self._wait(stop, self.settings.poll_interval_s)
                # Let a few completions gather before the next claim.
                await asyncio.sleep(0.005)
        finally:
            if self.tasks:
                await asyncio.wait(self.tasks, timeout=self.settings.attempt_timeout_s + 1)
            for task in self.tasks:
                task.cancel()
            # The writer records everything queued before this, then stops (not cancelled mid-batch:
            # an outcome taken off the queue and not written would mean sending that message again).
            self.outcomes.put_nowait(None)
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(writer, WRITER_DRAIN_S)
            await self.clients.close()
            if listener is not None:
                with contextlib.suppress(Exception):
                    await listener.close()

    async def _listen(self) -> Any:
        try:
            conn = await self.engine.connect()
            raw: Any = (await conn.get_raw_connection()).driver_connection
            await raw.add_listener(DUE_CHANNEL, lambda *_: self.wake.set())
            return conn
        except Exception as exc:
            log.warning("webhook_listen_failed", error=repr(exc))
            return None

    async def _wait(self, stop: asyncio.Event, seconds: float) -> None:
        waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self.wake.wait())]
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waiters:
                w.cancel()
        self.wake.clear()

    async def _claim_once(self) -> int:
        free = self.settings.delivery_concurrency - len(self.pooled)
        if free <= 0:
            return 0
        # One statement, atomic on its own: run in autocommit (no BEGIN/COMMIT round trips).
        async with self.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            rows = (
                await conn.execute(
                    CLAIM,
                    {
                        "per_endpoint": self.settings.endpoint_concurrency,
                        "per_failing": self.settings.failing_endpoint_concurrency,
                        "in_flight": json.dumps({k: v for k, v in self.in_flight.items() if v}),
                        "limit": free,
                        "lease_s": self.lease_s,
                    },
                )
            ).all()
        now = utcnow()
        await self.clients.sweep(self.in_flight)
        loop = asyncio.get_running_loop()
        for row in rows:
            claimed = _claimed(row, now)
            self.in_flight[claimed.endpoint_id] += 1
            task = asyncio.create_task(self._deliver(self.clients.get(claimed.endpoint_id), claimed))
            self.tasks.add(task)
            self.pooled.add(task)
            task.add_done_callback(self._done)
            loop.call_later(self.settings.slow_attempt_s, self._unpool, task)
        return len(rows)

    def _unpool(self, task: asyncio.Task[None]) -> None:
        """An attempt still unanswered leaves the pool for the slow budget (if it has room) and
        the loop is woken to claim in its place."""
        if task not in self.pooled or len(self.slow) >= self.settings.slow_attempt_slots:
            return
        self.pooled.discard(task)
        self.slow.add(task)
        self.wake.set()

    def _done(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        self.pooled.discard(task)
        self.slow.discard(task)
        self.wake.set()

    async def _deliver(self, client: httpx.AsyncClient, claimed: Claimed) -> None:
        try:
            headers = delivery_headers(claimed.message_id, utcnow(), claimed.body, claimed.secrets)
            with delivery_span(claimed.message_id, claimed.endpoint_id, claimed.attempt, claimed.traceparent) as span:
                result = await send_attempt(
                    client,
                    self.targets,
                    claimed.url,
                    claimed.body,
                    headers,
                    timeout_s=self.settings.attempt_timeout_s,
                    excerpt_bytes=self.settings.response_excerpt_bytes,
                )
                attempt_traced(span, result)
            self.attempted += 1
            if result.succeeded:
                self.delivered += 1
            self.outcomes.put_nowait(Outcome(claimed, result))
        finally:
            self.in_flight[claimed.endpoint_id] -= 1
            if self.in_flight[claimed.endpoint_id] <= 0:
                del self.in_flight[claimed.endpoint_id]

    # ---- recording outcomes ----

    async def _write_outcomes(self) -> None:
        """Record outcomes in batches until the ``None`` that ``run`` queues last."""
        last = False
        while not last:
            first = await self.outcomes.get()
            batch = [] if first is None else [first]
            last = first is None
            if not last:
                await asyncio.sleep(0.01)  # let a few more gather
            while not last and not self.outcomes.empty() and len(batch) < 1000:
                item = self.outcomes.get_nowait()
                if item is None:
                    last = True
                else:
                    batch.append(item)
            if batch:
                await self._record_with_retry(batch)

    async def _record_with_retry(self, batch: list[Outcome]) -> None:
        delay = 0.2
        for _ in range(20):
            try:
                await self.record(batch)
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("webhook_record_failed", error=repr(exc), outcomes=len(batch), retry_in_s=delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        # Unrecorded outcomes are not lost deliveries: their leases run out and they are sent again.
        log.error("webhook_record_dropped", outcomes=len(batch))

    async def record(self, batch: list[Outcome]) -> None:
        """Write attempts, settle or reschedule messages, track endpoint health, in one transaction."""
        settings = self.settings
        now = utcnow()
        settle: dict[str, list[Any]] = defaultdict(list)
        by_endpoint: dict[str, list[Outcome]] = defaultdict(list)
        gone: set[str] = set()
        for outcome in batch:
            c, r = outcome.claimed, outcome.result
            rounds = c.round_attempts + 1
            status, next_at, error, delivered = PENDING, None, r.error, None
            if r.succeeded:
                status, delivered = SUCCEEDED, r.finished_at
            elif r.status_code == 410:
                status, error = FAILED, "endpoint_gone"
                gone.add(c.endpoint_id)
            else:
                delay = retry_delay(settings.retry_schedule_s, rounds, settings.retry_jitter, self.rng)
                if delay is None:
                    status = FAILED
                else:
                    if r.status_code in RETRY_AFTER_STATUSES:
                        asked = parse_retry_after(r.retry_after)
                        if asked is not None:
                            delay = max(delay, min(asked, settings.max_retry_after_s))
                    next_at = r.finished_at + timedelta(seconds=delay)
                if error is None and r.status_code is not None:
                    error = f"http_{r.status_code}"
            settle["ids"].append(c.message_id)
            settle["statuses"].append(status)
            settle["rounds"].append(rounds)
            settle["next_at"].append(next_at)
            settle["last_at"].append(r.started_at)
            settle["errors"].append(error[:200] if error else None)
            settle["delivered"].append(delivered)
            by_endpoint[c.endpoint_id].append(outcome)
        async with self.sessions() as session, session.begin():
            await session.execute(
                RECORD_ATTEMPTS,
                {
                    "ids": [new_id("att") for _ in batch],
                    "message_ids": [o.claimed.message_id for o in batch],
                    "endpoint_ids": [o.claimed.endpoint_id for o in batch],
                    "attempts": [o.claimed.attempt for o in batch],
                    "outcomes": [o.result.outcome for o in batch],
                    "status_codes": [o.result.status_code for o in batch],
                    "latencies": [o.result.latency_ms for o in batch],
                    "excerpts": [o.result.response_excerpt for o in batch],
                    "errors": [o.result.error for o in batch],
                    "started": [o.result.started_at for o in batch],
                },
            )
            await session.execute(SETTLE_MESSAGES, dict(settle))
            healthy, failing = endpoint_health(by_endpoint)
            if healthy:  # first: a failure after the success then starts a new failing spell
                await session.execute(ENDPOINTS_HEALTHY, {"ids": healthy})
            to_disable: dict[str, str] = {e: "gone" for e in gone}
            if failing:
                rows = await session.execute(ENDPOINTS_FAILING, {"ids": list(failing), "at": list(failing.values())})
                window = timedelta(seconds=settings.disable_after_failing_s)
                for row in rows:
                    if row.enabled and row.failing_since is not None and row.failing_since <= now - window:
                        to_disable.setdefault(row.id, "failing")
            for endpoint_id, reason in sorted(to_disable.items()):
                await self._disable(session, endpoint_id, reason, now)
        count_recorded(o.result.outcome for o in batch)  # after the commit: a retried batch counts once

    async def _disable(self, session: AsyncSession, endpoint_id: str, reason: str, now: datetime) -> None:
        row = (await session.execute(DISABLE_ENDPOINT, {"id": endpoint_id, "reason": reason, "at": now})).one_or_none()
        if row is None:
            return
        log.warning("webhook_endpoint_disabled", endpoint_id=endpoint_id, reason=reason)
        await OUTBOX.add(
            session,
            EndpointDisabled(endpoint_id=endpoint_id, account_id=row.account_id, reason=reason, disabled_at=now),
        )
