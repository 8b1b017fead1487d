"""Messages: created by routing events to endpoints; resent by hand."""

from __future__ import annotations

from typing import Any

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events import Event
from trickle_kit.auth import Principal
from trickle_kit.envelope import Envelope, utcnow
from trickle_kit.ids import new_id
from trickle_kit.problems import ProblemError, not_found
from trickle_kit.tracing import trace_context
from trickle_webhook.delivery.signing import encode_body
from trickle_webhook.messages import repository
from trickle_webhook.messages.models import FAILED, PENDING, WebhookMessage
from trickle_webhook.messages.views import view_for
from trickle_webhook.webhook_endpoints.repository import routing_targets

log = structlog.get_logger("trickle.webhook.routing")

# Every message routed in an inbox batch, inserted at once (one statement, one round trip) by
# ``flush_routed`` at the end of the batch; duplicates (a replayed event) are skipped.
_INSERT_MESSAGES = text(
    """
    INSERT INTO webhook_messages (id, endpoint_id, event_id, event_type, body, status, next_attempt_at,
                                  last_error, created_at, traceparent)
    SELECT v.id, v.endpoint_id, v.event_id, v.event_type, CAST(v.body AS jsonb), v.status, v.next_attempt_at,
           v.last_error, v.created_at, v.traceparent
    FROM unnest(
        CAST(:ids AS text[]), CAST(:endpoint_ids AS text[]), CAST(:event_ids AS text[]),
        CAST(:event_types AS text[]), CAST(:bodies AS text[]), CAST(:statuses AS text[]),
        CAST(:next_at AS timestamptz[]), CAST(:errors AS text[]), CAST(:created AS timestamptz[]),
        CAST(:traceparents AS text[])
    ) AS v(id, endpoint_id, event_id, event_type, body, status, next_attempt_at, last_error, created_at,
           traceparent)
    ON CONFLICT (endpoint_id, event_id) DO NOTHING
    """
)
_COLUMNS = (
    "ids",
    "endpoint_ids",
    "event_ids",
    "event_types",
    "bodies",
    "statuses",
    "next_at",
    "errors",
    "created",
    "traceparents",
)
_PENDING_KEY = "webhook_routed_messages"


def delivery_body(envelope: Envelope, account_id: str | None) -> dict[str, Any]:
    """The Standard Webhooks payload ``{"type", "timestamp", "data"}`` as ``account_id`` may see it."""
    data = view_for(envelope.type, envelope.data, account_id)
    return {"type": envelope.type, "timestamp": envelope.time.isoformat(), "data": data}


async def route_event(session: AsyncSession, event: Event, envelope: Envelope, max_payload_bytes: int) -> int:
    """Queue one message per enabled endpoint that wants this event (idempotent per endpoint and event).

    Runs in the inbox transaction of the event; the messages are written by ``flush_routed``
    (the consumer's end-of-batch hook) before that transaction commits. Returns how many
    endpoints it was routed to.
    """
    if not event.offered_to_webhooks:  # the consumer only handles offered types; internal ones never leave
        return 0
    targets = await routing_targets(session, event.account_ids(), envelope.type)
    if not targets:
        return 0
    now = utcnow()
    traceparent, _ = trace_context()  # the event's consumer span: its deliveries continue the event's trace
    rows: list[tuple[Any, ...]] = []
    bodies: dict[str | None, tuple[str, bool]] = {}  # per viewer: every operator endpoint gets the same bytes
    for endpoint_id, viewer in targets:
        if viewer not in bodies:
            encoded = encode_body(delivery_body(envelope, viewer))
            bodies[viewer] = encoded, len(encoded.encode()) > max_payload_bytes
        body, too_large = bodies[viewer]
        if too_large:
            log.warning("webhook_payload_too_large", event_id=envelope.id, endpoint_id=endpoint_id)
        rows.append(
            (
                new_id("msg"),
                endpoint_id,
                envelope.id,
                envelope.type,
                body,
                FAILED if too_large else PENDING,
                None if too_large else now,
                "payload_too_large" if too_large else None,
                now,
                traceparent,
            )
        )
    # Only complete events are queued: a failing view leaves nothing of its event behind.
    session.info.setdefault(_PENDING_KEY, []).extend(rows)
    return len(rows)


async def flush_routed(session: AsyncSession) -> None:
    """Insert every message queued by ``route_event`` in this transaction, in one statement."""
    rows: list[tuple[Any, ...]] = session.info.pop(_PENDING_KEY, [])
    if not rows:
        return
    await session.execute(
        _INSERT_MESSAGES, dict(zip(_COLUMNS, (list(c) for c in zip(*rows, strict=True)), strict=True))
    )
    await repository.notify_due_once(session)


async def resend_message(session: AsyncSession, principal: Principal, message_id: str) -> WebhookMessage:
    """Queue the message again (same ``webhook-id``) with a fresh retry schedule."""
    found = await repository.get_visible_message(session, principal, message_id, for_update=True)
    if found is None:
        raise not_found("Webhook message", message_id)
    message, endpoint = found
    if not endpoint.enabled:
        raise ProblemError(409, "endpoint_disabled", "Conflict", "Enable the endpoint before resending messages")
    if message.last_error == "payload_too_large":
        raise ProblemError(409, "payload_too_large", "Conflict", "This message exceeds the payload cap")
    message.status = PENDING
    message.round_attempts = 0
    message.next_attempt_at = utcnow()
    await session.flush()
    await repository.notify_due(session)
    return message
