"""One deposit is one trace across services: the wallet's request and the provider's callback, the
CloudEvent on Kafka, settlement's consumer (the ledger entry and its event) and the wallet's consumer
(the balance projection). Real PostgreSQL and Kafka; the wallet app, both services' consumers and
relays run in the test process so one in-memory exporter sees every span."""

from __future__ import annotations

import io
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import structlog
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind

from tests.support.traces import (
    Databases,
    running,
    service_databases,
    settlement_worker,
    topics_ready,
    traced_asgi_deliver,
)
from trickle_events.topics import LEDGER, WALLET
from trickle_kit.db import make_engine, make_sessionmaker
from trickle_kit.envelope import Envelope
from trickle_kit.relay import OutboxRelay
from trickle_kit.testing import KAFKA, read_topic, wait_until
from trickle_kit.testing_traces import Spans, collecting_spans

OPERATOR_SECRET = "traces-operator-secret"


def _attr(span: ReadableSpan, name: str) -> Any:
    return (span.attributes or {}).get(name)


def _consumed(spans: Spans, consumer: str, event_type: str) -> list[ReadableSpan]:
    return [
        s
        for s in spans.named(f"process {event_type}")
        if s.kind == SpanKind.CONSUMER and _attr(s, "messaging.consumer.group.name") == consumer
    ]


def _server(spans: Spans, method: str, route: str) -> list[ReadableSpan]:
    return [
        s
        for s in spans.all()
        if s.kind == SpanKind.SERVER
        and _attr(s, "http.route") == route
        and (_attr(s, "http.request.method") or _attr(s, "http.method")) == method
    ]


def _staged(span: ReadableSpan) -> list[str]:
    """The event types the span staged in its service's outbox."""
    marks = [e.attributes or {} for e in span.events if e.name == "outbox staged"]
    return [t for mark in marks for t in mark["cloudevents.event_types"]]


def _hex(trace_id: int) -> str:
    return format(trace_id, "032x")


@asynccontextmanager
async def wallet_service(dbs: Databases, spans: Spans) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    """The wallet's app (a client of it) and its worker tasks, with the sandbox calling back into the app."""
    from trickle_wallet.app import build_app
    from trickle_wallet.consumers import consumers
    from trickle_wallet.providers.sandbox import SandboxProvider
    from trickle_wallet.settings import Settings

    settings = Settings(
        database_url=dbs.wallet,
        topic_prefix=dbs.topic_prefix,
        log_json=True,
        db_pool_size=3,
        rate_limit_enabled=False,
        operator_client_secret=OPERATOR_SECRET,
    )
    app = build_app(settings)  # built while the exporter is in use: the app gets its server spans
    provider = SandboxProvider(secret=settings.sandbox_callback_secret, deliver=traced_asgi_deliver(app), delay_s=0.0)
    engine = make_engine(dbs.wallet, application_name="traces-wallet-worker", pool_size=3)
    sessions = make_sessionmaker(engine)
    relay = OutboxRelay(engine, bootstrap=KAFKA, topic_prefix=dbs.topic_prefix, name="traces-wallet-relay")
    try:
        async with app.router.lifespan_context(app):
            app.state.payment_provider = provider
            async with running([*consumers(settings, engine, sessions, provider=provider), relay.run]):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://wallet.test") as client:
                    yield client, provider
    finally:
        await provider.aclose()
        await engine.dispose()


async def test_a_deposit_is_one_trace_from_the_wallet_through_settlement_and_back_with_its_log_lines() -> None:
    with service_databases() as dbs, collecting_spans() as spans:
        await topics_ready(dbs.topic_prefix)
        async with (
            settlement_worker(dbs.settlement, dbs.topic_prefix),
            wallet_service(dbs, spans) as (client, sandbox),
        ):
            # The app's log lines, rendered by the services' own processors, into a buffer the test reads.
            lines = io.StringIO()
            structlog.configure(logger_factory=structlog.PrintLoggerFactory(lines))
            registered = await client.post(
                "/v1/accounts", json={"display_name": "Ada", "email": f"ada-{os.urandom(4).hex()}@example.org"}
            )
            assert registered.status_code == 201, registered.text
            key = registered.json()["api_key"]
            account_id = registered.json()["account"]["id"]
            token = await client.post(
                "/v1/oauth/token",
                data={"grant_type": "client_credentials", "client_id": key["id"], "client_secret": key["secret"]},
            )
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}

            deposit = await client.post(
                "/v1/deposits",
                json={"method": "card", "amount": {"amount": 2_500, "currency": "EUR"}},
                headers={**headers, "Idempotency-Key": os.urandom(8).hex()},
            )
            assert deposit.status_code == 202, deposit.text
            deposit_id = deposit.json()["id"]

            async def balance_projected() -> bool:
                r = await client.get(f"/v1/accounts/{account_id}/balances", headers=headers)
                return r.status_code == 200 and r.json()["wallet"]["amount"] > 0

            await wait_until(balance_projected)
            await sandbox.drain()

        # The wallet's request is the root of the trace.
        (request,) = _server(spans, "POST", "/v1/deposits")
        assert request.parent is None
        trace_id = request.context.trace_id
        # The provider's callback continues it (its client span carried traceparent), and stages the event.
        (callback,) = _server(spans, "POST", "/v1/providers/sandbox/callbacks")
        assert callback.context.trace_id == trace_id
        assert _staged(callback) == ["wallet.deposit.succeeded"]
        (calling,) = [s for s in spans.in_trace(trace_id) if s.kind == SpanKind.CLIENT]
        assert callback.parent is not None and callback.parent.span_id == calling.context.span_id
        assert calling.parent is not None and calling.parent.span_id == request.context.span_id
        # Settlement applies wallet.deposit.succeeded as a child of the callback's span, from the CloudEvent.
        (settled,) = _consumed(spans, "settlement.wallet", "wallet.deposit.succeeded")
        assert settled.context.trace_id == trace_id
        assert settled.parent is not None and settled.parent.span_id == callback.context.span_id
        assert _attr(settled, "messaging.destination.name") == dbs.topic_prefix + WALLET
        # There it posts the ledger entry, which stages ledger.entry.posted in its outbox.
        (posting,) = [s for s in spans.named("ledger post") if s.context.trace_id == trace_id]
        assert posting.parent is not None and posting.parent.span_id == settled.context.span_id
        assert _staged(posting) == ["ledger.entry.posted"]
        # The wallet projects the balance from ledger.entry.posted, a child of the posting's span.
        projected = _consumed(spans, "wallet.ledger", "ledger.entry.posted")
        assert projected and all(s.context.trace_id == trace_id for s in projected)
        assert all(s.parent is not None and s.parent.span_id == posting.context.span_id for s in projected)

        # On Kafka, both events carry the trace as the CloudEvents distributed-tracing extension.
        deposited = await _one(dbs.topic_prefix + WALLET, "wallet.deposit.succeeded", deposit_id)
        assert deposited.traceparent is not None
        assert deposited.traceparent.split("-")[1:3] == [_hex(trace_id), format(callback.context.span_id, "016x")]
        posted = await _one(dbs.topic_prefix + LEDGER, "ledger.entry.posted", deposit_id)
        assert posted.traceparent is not None and posted.traceparent.split("-")[1] == _hex(trace_id)

        # The request's log lines name the trace, and a span of it.
        logged = [json.loads(line) for line in lines.getvalue().splitlines() if line.startswith("{")]
        in_request = [e for e in logged if e.get("event") == "request" and e.get("path") == "/v1/deposits"]
        assert in_request, logged
        assert {e["trace_id"] for e in in_request} == {_hex(trace_id)}
        trace_spans = {format(s.context.span_id, "016x") for s in spans.in_trace(trace_id)}
        assert all(e["span_id"] in trace_spans for e in in_request)


async def _one(topic: str, event_type: str, deposit_id: str) -> Envelope:
    def found(envs: list[Envelope]) -> bool:
        return any(e.type == event_type and deposit_id in json.dumps(e.data) for e in envs)

    envs = await read_topic(topic, until=found)
    return next(e for e in envs if e.type == event_type and deposit_id in json.dumps(e.data))
