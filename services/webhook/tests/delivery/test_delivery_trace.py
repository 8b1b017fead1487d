"""A webhook delivery is part of its event's trace: the router's consumer span continues the event's
traceparent, and each attempt is a span under it. The receiver gets no trace headers of ours."""

from __future__ import annotations

from typing import Any

import httpx
from opentelemetry.trace import SpanKind, StatusCode

from trickle_kit.ids import new_id
from trickle_kit.testing import wait_until
from trickle_kit.testing_auth import TokenFactory
from trickle_kit.testing_traces import collecting_spans

from ..support.delivery import click, create_endpoint
from ..support.receiver import Answer, Receiver

UPSTREAM_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
UPSTREAM_SPAN = "00f067aa0ba902b7"


async def test_each_delivery_attempt_is_a_span_of_the_event_s_trace_and_the_receiver_gets_no_trace_header(
    client: httpx.AsyncClient, tokens: TokenFactory, receiver: Receiver, publisher: Any, worker: Any
) -> None:
    patron, creator = new_id("acct"), new_id("acct")
    path = f"traced-{patron}"
    receiver.script(path, lambda d, n: Answer(status=503) if n == 0 else Answer())
    await create_endpoint(client, tokens, patron, receiver.url(path))
    with collecting_spans() as spans:
        event_id = await publisher.publish(
            click(patron, creator), traceparent=f"00-{UPSTREAM_TRACE}-{UPSTREAM_SPAN}-01"
        )

        async def two_attempts_traced() -> bool:
            return len(spans.named("webhook deliver")) >= 2

        await wait_until(two_attempts_traced)
    (routed,) = [
        s
        for s in spans.named("process clicks.click.registered")
        if (s.attributes or {}).get("messaging.message.id") == event_id
    ]
    assert routed.context is not None and format(routed.context.trace_id, "032x") == UPSTREAM_TRACE
    assert routed.parent is not None and format(routed.parent.span_id, "016x") == UPSTREAM_SPAN
    attempts = sorted(spans.named("webhook deliver"), key=lambda s: (s.attributes or {})["webhook.attempt"])
    for span in attempts:
        assert span.kind == SpanKind.CLIENT
        assert span.context is not None and span.context.trace_id == routed.context.trace_id
        assert span.parent is not None and span.parent.span_id == routed.context.span_id
    failed, succeeded = attempts
    assert (failed.attributes or {})["http.response.status_code"] == 503
    assert failed.status.status_code == StatusCode.ERROR
    assert (succeeded.attributes or {})["webhook.outcome"] == "succeeded"
    assert succeeded.status.status_code != StatusCode.ERROR
    assert all("traceparent" not in d.headers for d in receiver.deliveries(path))
