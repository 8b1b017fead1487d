"""Queries on webhook endpoints, scoped to what the caller may see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.auth import Principal
from trickle_webhook.webhook_endpoints.models import WebhookEndpoint

__all__ = ["WebhookEndpoint", "endpoints_visible_to", "get_visible", "routing_targets"]


def endpoints_visible_to(principal: Principal, account_id: str | None = None) -> Select[Any]:
    """Operators see every endpoint (or one account's); others only their account's."""
    stmt = select(WebhookEndpoint)
    if principal.is_operator:
        return stmt.where(WebhookEndpoint.account_id == account_id) if account_id else stmt
    return stmt.where(WebhookEndpoint.account_id == principal.account_id)


async def get_visible(
    session: AsyncSession, principal: Principal, endpoint_id: str, *, for_update: bool = False
) -> WebhookEndpoint | None:
    stmt = endpoints_visible_to(principal).where(WebhookEndpoint.id == endpoint_id)
    if for_update:
        stmt = stmt.with_for_update()
    endpoint: WebhookEndpoint | None = (await session.execute(stmt)).scalar_one_or_none()
    return endpoint


async def routing_targets(
    session: AsyncSession, account_ids: list[str], event_type: str
) -> list[tuple[str, str | None]]:
    """(id, account whose view it gets) of the enabled endpoints that want this event.

    The account is None for operator endpoints (``all_accounts``): they see events whole.
    """
    concerned: ColumnElement[bool] = WebhookEndpoint.all_accounts.is_(True)
    if account_ids:
        concerned = or_(concerned, WebhookEndpoint.account_id.in_(account_ids))
    stmt = select(WebhookEndpoint.id, WebhookEndpoint.account_id, WebhookEndpoint.all_accounts).where(
        WebhookEndpoint.enabled.is_(True),
        concerned,
        or_(
            func.cardinality(WebhookEndpoint.event_types) == 0,
            WebhookEndpoint.event_types.any_() == event_type,
        ),
    )
    return [(row.id, None if row.all_accounts else row.account_id) for row in await session.execute(stmt)]
