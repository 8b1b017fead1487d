"""Queries on webhook endpoints, scoped to what the caller may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.auth import Principal
from trickle_kit.readable import Reader
from trickle_webhook.webhook_endpoints.models import WebhookEndpoint

__all__ = ["WebhookEndpoint", "endpoints_visible_to", "get_visible", "routing_targets"]

# Up to this many enabled endpoints, routing reads them all once per transaction (an inbox batch)
# instead of querying for every event.
ROUTING_TABLE_MAX = 5000
_ROUTING_KEY = "webhook_routing_table"


@dataclass(frozen=True)
class RoutingTable:
    """The enabled endpoints as routing needs them: by account, and the all-accounts ones."""

    by_account: dict[str, list[tuple[str, tuple[str, ...]]]]
    everyone: list[tuple[str, tuple[str, ...]]]

    def targets(self, account_ids: list[str], event_type: str) -> list[tuple[str, str | None]]:
        found: list[tuple[str, str | None]] = []
        for account in dict.fromkeys(account_ids):
            found.extend((eid, account) for eid, types in self.by_account.get(account, ()) if _wants(types, event_type))
        found.extend((eid, None) for eid, types in self.everyone if _wants(types, event_type))
        return found


def _wants(types: tuple[str, ...], event_type: str) -> bool:
    return not types or event_type in types


async def _routing_table(session: AsyncSession) -> RoutingTable | None:
    """The transaction's routing table (read once per session), or None when there are too many endpoints."""
    if _ROUTING_KEY in session.info:
        cached: RoutingTable | None = session.info[_ROUTING_KEY]
        return cached
    rows = (
        await session.execute(
            select(
                WebhookEndpoint.id,
                WebhookEndpoint.account_id,
                WebhookEndpoint.all_accounts,
                WebhookEndpoint.event_types,
            )
            .where(WebhookEndpoint.enabled.is_(True))
            .limit(ROUTING_TABLE_MAX + 1)
        )
    ).all()
    table: RoutingTable | None = None
    if len(rows) <= ROUTING_TABLE_MAX:
        by_account: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        everyone: list[tuple[str, tuple[str, ...]]] = []
        for row in rows:
            entry = (row.id, tuple(row.event_types or ()))
            if row.all_accounts:
                everyone.append(entry)
            elif row.account_id:
                by_account.setdefault(row.account_id, []).append(entry)
        table = RoutingTable(by_account, everyone)
    session.info[_ROUTING_KEY] = table
    return table


def endpoints_visible_to(principal: Principal, account_id: str | None = None) -> Select[Any]:
    """Operators see every endpoint (or one account's); others only their account's."""
    reader = Reader.of(principal)
    stmt = reader.scope(select(WebhookEndpoint), WebhookEndpoint.account_id)
    return stmt.where(WebhookEndpoint.account_id == account_id) if reader.is_operator and account_id else stmt


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
    table = await _routing_table(session)
    if table is not None:
        return table.targets(account_ids, event_type)
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
    found: list[tuple[str, str | None]] = []
    for row in await session.execute(stmt):
        if row.all_accounts:
            found.append((row.id, None))
        else:
            found.extend((row.id, a) for a in dict.fromkeys(account_ids) if a == row.account_id)
    return found
