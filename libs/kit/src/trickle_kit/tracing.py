"""OpenTelemetry traces: set up once per process; the trace context rides in each CloudEvent.

Off unless ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``) is set: then
``configure_tracing`` installs an SDK tracer provider (``service.name`` = the service) exporting
OTLP over HTTP/protobuf in batches, and ``create_app`` instruments the FastAPI app. Calls to
another Trickle service take ``client_transport`` (a client span, and ``traceparent`` sent along);
calls leaving Trickle (webhook receivers, payment providers) do not: our trace ids stay ours.

Off, nothing is installed: no middleware, no exporter, and the hooks below return at their first
line (the click path pays one global read per outbox write and per log line).

How one deposit, click or webhook delivery becomes one trace across services:

- ``Outbox.add`` stores the current span's W3C ``traceparent``/``tracestate`` with the row
  (``trace_context``), inside the request's (or the consumer's) span;
- the relay carries them as the CloudEvents distributed-tracing extension's attributes
  (``ce_traceparent``/``ce_tracestate`` headers in Kafka binary mode; ``trickle_kit.envelope``);
- the inbox runs each event's handler in a consumer span whose parent is the event's
  ``traceparent`` (``consumer_span``), so what the handler stages continues the same trace.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any

import httpx
from opentelemetry import trace
from opentelemetry.trace import SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

if TYPE_CHECKING:
    from fastapi import FastAPI
    from opentelemetry.sdk.trace import TracerProvider

    from trickle_kit.envelope import Envelope, Publishable

TRACER_NAME = "trickle_kit"
ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")

_PROPAGATOR = TraceContextTextMapPropagator()
_NOTHING = contextlib.nullcontext()
# The provider the kit's spans go to; None = tracing off (every hook returns at once).
_provider: TracerProvider | None = None
_tracer: trace.Tracer | None = None


def enabled() -> bool:
    """Whether this process records spans."""
    return _tracer is not None


def configure_tracing(service_name: str) -> TracerProvider | None:
    """Set tracing up once per process from the environment; returns the provider, or None when off.

    The exporter, its endpoint, headers, timeouts and the sampler are the SDK's own environment
    variables (``OTEL_EXPORTER_OTLP_*``, ``OTEL_TRACES_SAMPLER``); ``OTEL_RESOURCE_ATTRIBUTES`` adds
    to the resource. A second call (an app and a worker in one process) keeps the first set-up.
    """
    if _provider is not None:
        return _provider
    if not any(os.environ.get(name) for name in ENDPOINT_VARIABLES):
        return None
    # Imported here: a process with tracing off never loads the SDK, protobuf or the exporter.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = new_provider(service_name)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)  # for libraries that use the global one
    use_provider(provider)
    return provider


def new_provider(service_name: str) -> TracerProvider:
    """An SDK tracer provider whose resource names the service (no span processor yet)."""
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider

    return TracerProvider(resource=Resource.create({SERVICE_NAME: service_name}))


def use_provider(provider: TracerProvider | None) -> None:
    """Send the kit's spans to ``provider`` (None: tracing off). ``configure_tracing`` calls it; tests too."""
    global _provider, _tracer
    _provider = provider
    _tracer = provider.get_tracer(TRACER_NAME) if provider is not None else None


@contextlib.contextmanager
def provider_in_use(provider: TracerProvider) -> Iterator[TracerProvider]:
    """For tests: the kit's spans go to ``provider`` for the block, then to what they went to before."""
    before = _provider
    use_provider(provider)
    try:
        yield provider
    finally:
        use_provider(before)


def instrument_app(app: FastAPI) -> None:
    """A server span per request (named by route template) when tracing is on; nothing when off."""
    if _provider is None:
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=_provider,
        excluded_urls="/healthz,/readyz",
        # The ASGI message spans (one per send/receive) would double the spans of every request.
        exclude_spans=["receive", "send"],
    )


def client_transport(transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncBaseTransport | None:
    """The transport of an httpx client that calls another Trickle service (default: httpx's own).

    With tracing on, it wraps it: each request gets a client span and carries ``traceparent``, so the
    other side's server span continues the trace. Off, ``transport`` unchanged (None: httpx's default).
    """
    if _provider is None:
        return transport
    from opentelemetry.instrumentation.httpx import AsyncOpenTelemetryTransport

    return AsyncOpenTelemetryTransport(transport or httpx.AsyncHTTPTransport(), tracer_provider=_provider)


def trace_context() -> tuple[str | None, str | None]:
    """The current span's ``(traceparent, tracestate)`` in W3C form, or ``(None, None)`` without one."""
    if _tracer is None:
        return None, None
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get("traceparent"), carrier.get("tracestate")


def consumer_span(
    consumer: str, envelope: Envelope, topic: str, partition: int, offset: int
) -> contextlib.AbstractContextManager[Any]:
    """The span an event's handler runs in: a child of the event's ``traceparent`` (a new trace without one).

    Off, a shared no-op context manager.
    """
    if _tracer is None:
        return _NOTHING
    return continued_span(
        f"process {envelope.type}",
        envelope.traceparent,
        envelope.tracestate,
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.system": "kafka",
            "messaging.operation.type": "process",
            "messaging.destination.name": topic,
            "messaging.destination.partition.id": str(partition),
            "messaging.kafka.offset": offset,
            "messaging.consumer.group.name": consumer,
            "messaging.message.id": envelope.id,
            "cloudevents.event_id": envelope.id,
            "cloudevents.event_type": envelope.type,
            "cloudevents.event_source": envelope.source,
        },
    )


def continued_span(
    name: str,
    traceparent: str | None,
    tracestate: str | None = None,
    *,
    kind: SpanKind = SpanKind.INTERNAL,
    attributes: dict[str, Any] | None = None,
) -> contextlib.AbstractContextManager[Any]:
    """A span continuing the trace a stored ``traceparent`` names (a new trace without one); yields the span.

    For work done later on behalf of an event or request (a consumer, a webhook attempt). Off, a no-op
    yielding None.
    """
    if _tracer is None:
        return _NOTHING
    parent = None
    if traceparent:
        carrier = {"traceparent": traceparent}
        if tracestate:
            carrier["tracestate"] = tracestate
        parent = _PROPAGATOR.extract(carrier)
    return _tracer.start_as_current_span(name, context=parent, kind=kind, attributes=attributes)


def annotate(span: Any, error: str | None = None, **attributes: Any) -> None:
    """Add attributes (None values left out) to a span from ``span``/``continued_span``, and mark it failed
    with ``error`` when given. A no-op on None (tracing off)."""
    if span is None:
        return
    span.set_attributes({k: v for k, v in attributes.items() if v is not None})
    if error is not None:
        span.set_status(trace.Status(trace.StatusCode.ERROR, error))


def span(
    name: str, *, kind: SpanKind = SpanKind.INTERNAL, attributes: dict[str, Any] | None = None
) -> contextlib.AbstractContextManager[Any]:
    """A span of the kit's tracer around a block, child of the current one; yields it (None when off)."""
    if _tracer is None:
        return _NOTHING
    return _tracer.start_as_current_span(name, kind=kind, attributes=attributes)


def staged(events: Sequence[Publishable], event_ids: Sequence[str]) -> None:
    """Mark on the current span that it staged these events in its outbox (a span event; no-op when off)."""
    if _tracer is not None:
        staged_as(lambda: [e.event_type for e in events], event_ids)


def staged_as(event_types: Callable[[], list[str]], event_ids: Sequence[str]) -> None:
    """``staged`` for events written without their models (``event_types``: theirs, asked for only when
    the span records them)."""
    if _tracer is None:
        return
    current = trace.get_current_span()
    if current.is_recording():
        attributes: dict[str, Any] = {"cloudevents.event_count": len(event_ids)}
        if len(event_ids) <= 20:  # a bulk writer's thousands would swell the span: only their count
            attributes["cloudevents.event_types"] = event_types()
            attributes["cloudevents.event_ids"] = list(event_ids)
        current.add_event("outbox staged", attributes)


def add_trace_ids(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: ``trace_id`` and ``span_id`` (hex, as trace back-ends show them) while a span is active."""
    if _tracer is None:
        return event_dict
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event_dict["trace_id"] = format(context.trace_id, "032x")
        event_dict["span_id"] = format(context.span_id, "016x")
    return event_dict
