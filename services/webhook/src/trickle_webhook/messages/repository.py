"""Queries on messages and attempts, and the wake-up of the delivery worker."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.auth import Principal
from trickle_kit.readable import Reader
from trickle_webhook.messages.models import WebhookAttempt, WebhookMessage
from trickle_webhook.webhook_endpoints.models import WebhookEndpoint

# NOTIFY channel: messages became due (routing, resend, recover); the delivery loop listens.
DUE_CHANNEL = "trickle_webhook_due"

__all__ = ["DUE_CHANNEL", "WebhookAttempt", "WebhookMessage", "attempts_of", "get_visible_message", "messages_of"]


async def notify_due(session: AsyncSession) -> None:
    """Wake the delivery workers when the transaction commits."""
    await session.execute(select(func.pg_notify(DUE_CHANNEL, "")))


async def notify_due_once(session: AsyncSession) -> None:
    """``notify_due`` once per session (an inbox batch routes hundreds of events in one transaction)."""
    if not session.info.get("webhook_due_notified"):
        await notify_due(session)
        session.info["webhook_due_notified"] = True


def messages_of(endpoint_id: str, status: str | None = None) -> Select[Any]:
    stmt = select(WebhookMessage).where(WebhookMessage.endpoint_id == endpoint_id)
    return stmt.where(WebhookMessage.status == status) if status else stmt


def attempts_of(message_id: str) -> Select[Any]:
    return select(WebhookAttempt).where(WebhookAttempt.message_id == message_id)


async def get_visible_message(
    session: AsyncSession, principal: Principal, message_id: str, *, for_update: bool = False
) -> tuple[WebhookMessage, WebhookEndpoint] | None:
    stmt = (
        select(WebhookMessage, WebhookEndpoint)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookMessage.endpoint_id)
        .where(WebhookMessage.id == message_id)
    )
    stmt = Reader.of(principal).scope(stmt, WebhookEndpoint.account_id)
    if for_update:
        stmt = stmt.with_for_update(of=WebhookMessage)
    row = (await session.execute(stmt)).one_or_none()
    return (row[0], row[1]) if row else None
