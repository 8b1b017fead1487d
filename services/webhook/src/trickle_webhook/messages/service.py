"""Messages: created by routing events to endpoints; resent by hand."""

from __future__ import annotations

from typing import Any, cast

import structlog
from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events import Event
from trickle_kit.auth import Principal
from trickle_kit.envelope import Envelope, utcnow
from trickle_kit.ids import new_id
from trickle_kit.problems import ProblemError, not_found
from trickle_webhook.delivery.signing import encode_body
from trickle_webhook.messages import repository
from trickle_webhook.messages.models import FAILED, PENDING, WebhookMessage
from trickle_webhook.messages.views import view_for
from trickle_webhook.webhook_endpoints.repository import routing_targets

log = structlog.get_logger("trickle.webhook.routing")

_INSERT_MESSAGE = insert(cast(Table, WebhookMessage.__table__)).on_conflict_do_nothing(
    index_elements=["endpoint_id", "event_id"]
)


def delivery_body(envelope: Envelope, account_id: str | None) -> dict[str, Any]:
    """The Standard Webhooks payload ``{"type", "timestamp", "data"}`` as ``account_id`` may see it."""
    data = view_for(envelope.type, envelope.data, account_id)
    return {"type": envelope.type, "timestamp": envelope.time.isoformat(), "data": data}


async def route_event(session: AsyncSession, event: Event, envelope: Envelope, max_payload_bytes: int) -> int:
    """One message per enabled endpoint that wants this event (idempotent per endpoint and event).

    Runs in the inbox transaction of the event. Returns how many endpoints it was routed to.
    """
    if not event.offered_to_webhooks:
        return 0
    targets = await routing_targets(session, event.account_ids(), envelope.type)
    if not targets:
        return 0
    now = utcnow()
    rows = []
    for endpoint_id, viewer in targets:
        body = delivery_body(envelope, viewer)
        too_large = len(encode_body(body).encode()) > max_payload_bytes
        if too_large:
            log.warning("webhook_payload_too_large", event_id=envelope.id, endpoint_id=endpoint_id)
        rows.append(
            {
                "id": new_id("msg"),
                "endpoint_id": endpoint_id,
                "event_id": envelope.id,
                "event_type": envelope.type,
                "body": body,
                "status": FAILED if too_large else PENDING,
                "next_attempt_at": None if too_large else now,
                "last_error": "payload_too_large" if too_large else None,
                "created_at": now,
            }
        )
    # One cached statement executed for many rows (no per-event SQL compilation).
    await session.execute(_INSERT_MESSAGE, rows)
    await repository.notify_due_once(session)
    return len(rows)


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
