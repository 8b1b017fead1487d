"""Each delivery attempt is a span of the trace its event was routed in (``trickle_kit.tracing``).

The request to the receiver carries no ``traceparent``: receivers are outside Trickle."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from opentelemetry.trace import SpanKind

from trickle_kit.tracing import annotate, continued_span
from trickle_webhook.delivery.sender import AttemptResult


def delivery_span(
    message_id: str, endpoint_id: str, attempt: int, traceparent: str | None
) -> AbstractContextManager[Any]:
    """The span of one attempt to deliver ``message_id``, a child of the routing of its event (no-op when off)."""
    return continued_span(
        "webhook deliver",
        traceparent,
        kind=SpanKind.CLIENT,
        attributes={"webhook.message_id": message_id, "webhook.endpoint_id": endpoint_id, "webhook.attempt": attempt},
    )


def attempt_traced(span: Any, result: AttemptResult) -> None:
    """What the attempt came to, on its span: the outcome, the receiver's status; failed unless it succeeded."""
    annotate(
        span,
        None if result.succeeded else (result.error or result.outcome),
        **{"webhook.outcome": result.outcome, "http.response.status_code": result.status_code},
    )
