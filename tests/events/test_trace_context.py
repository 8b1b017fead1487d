"""The trace context travels with each CloudEvent: outbox row → relay → Kafka header → the inbox's consumer span.

Without a span (tracing off) an event carries exactly the attributes it always had."""

from __future__ import annotations

from opentelemetry.trace import SpanKind
from sqlalchemy import select

from tests.support.backbone import TEST_OUTBOX, account_event, applied_at_least, make_consumer, running
from trickle_kit import tracing
from trickle_kit.envelope import Envelope
from trickle_kit.relay import OutboxRelay
from trickle_kit.tables import OutboxRecord
from trickle_kit.testing import KAFKA, read_topic, unique_prefix, wait_until
from trickle_kit.testing_traces import collecting_spans

# What an event carried before traces (SPEC §7: the CloudEvents attributes plus a schema version).
SPEC_HEADERS = {"ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time", "ce_subject", "ce_schemaversion"}


async def test_events_of_several_traces_consumed_together_each_run_in_a_child_span_of_their_own_trace(sides) -> None:  # type: ignore[no-untyped-def]
    producer, consumer, consumer_url = sides
    prefix = unique_prefix("traced")
    with collecting_spans() as spans:
        staged: dict[str, tuple[int, int]] = {}  # event id -> (trace id, span id) it was staged in
        for i in range(4):
            with tracing.span(f"request {i}", kind=SpanKind.SERVER) as request:
                async with producer.sessions() as s, s.begin():
                    event_id = await TEST_OUTBOX.add(s, account_event(i))
                staged[event_id] = (request.get_span_context().trace_id, request.get_span_context().span_id)
        assert len({trace for trace, _ in staged.values()}) == 4
        relay = OutboxRelay(producer.engine, bootstrap=KAFKA, topic_prefix=prefix, name="tr")
        # All four are on the topic before the consumer starts: it takes them together (usually one poll).
        envelopes = await _relayed(relay, prefix, len(staged))
        for env in envelopes:
            trace, span = staged[env.id]
            assert env.traceparent is not None
            assert env.traceparent.split("-")[1:3] == [format(trace, "032x"), format(span, "016x")]
        inbox = make_consumer(consumer_url, KAFKA, prefix, f"{prefix}group")
        async with running(inbox.run):
            await wait_until(lambda: applied_at_least(consumer, 4))
        processed = spans.named("process wallet.account.created")
        assert len(processed) == 4
        for span_ in processed:
            assert span_.kind == SpanKind.CONSUMER
            event_id = (span_.attributes or {})["messaging.message.id"]
            trace, parent = staged[str(event_id)]
            assert span_.context is not None and span_.context.trace_id == trace
            assert span_.parent is not None and span_.parent.span_id == parent


async def test_an_event_staged_without_a_span_carries_only_the_spec_attributes(sides) -> None:  # type: ignore[no-untyped-def]
    producer, _, _ = sides
    prefix = unique_prefix("untraced")
    assert not tracing.enabled()  # no OTLP endpoint in the test environment: tracing is off
    async with producer.sessions() as s, s.begin():
        event_id = await TEST_OUTBOX.add(s, account_event(7))
    async with producer.sessions() as s:
        row = (await s.execute(select(OutboxRecord).where(OutboxRecord.event_id == event_id))).scalar_one()
    assert (row.traceparent, row.tracestate) == (None, None)
    relay = OutboxRelay(producer.engine, bootstrap=KAFKA, topic_prefix=prefix, name="untr")
    (env,) = await _relayed(relay, prefix, 1)
    assert env.traceparent is None and env.tracestate is None
    assert {name for name, _ in env.headers() if name.startswith("ce_")} == SPEC_HEADERS


async def test_an_event_staged_in_a_span_but_with_tracing_off_in_the_consumer_is_applied_as_before(sides) -> None:  # type: ignore[no-untyped-def]
    producer, consumer, consumer_url = sides
    prefix = unique_prefix("mixed")
    with collecting_spans(), tracing.span("request"):
        async with producer.sessions() as s, s.begin():
            await TEST_OUTBOX.add(s, account_event(8))
    assert not tracing.enabled()
    relay = OutboxRelay(producer.engine, bootstrap=KAFKA, topic_prefix=prefix, name="mixed")
    (env,) = await _relayed(relay, prefix, 1)
    assert env.traceparent is not None
    inbox = make_consumer(consumer_url, KAFKA, prefix, f"{prefix}group")
    async with running(inbox.run):
        await wait_until(lambda: applied_at_least(consumer, 1))


async def _relayed(relay: OutboxRelay, prefix: str, count: int) -> list[Envelope]:
    """Publish the producer's outbox and read back ``count`` envelopes from the topic."""
    async with running(relay.run):
        return await read_topic(f"{prefix}wallet", until=lambda envs: len(envs) >= count)
