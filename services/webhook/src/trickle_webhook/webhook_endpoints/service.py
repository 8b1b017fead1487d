"""Webhook endpoints: create, change, rotate the secret, recover failed messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.auth import Principal
from trickle_kit.envelope import utcnow
from trickle_kit.errors import InvalidInput
from trickle_kit.ids import new_id
from trickle_kit.problems import ProblemError, not_found
from trickle_kit.ssrf import FetchError, SsrfRefused, check_url
from trickle_webhook.delivery.signing import new_secret
from trickle_webhook.event_types.catalogue import is_offered
from trickle_webhook.messages.models import FAILED, PENDING, WebhookMessage
from trickle_webhook.settings import Settings
from trickle_webhook.webhook_endpoints import repository
from trickle_webhook.webhook_endpoints.models import WebhookEndpoint
from trickle_webhook.webhook_endpoints.schemas import WebhookEndpointCreate, WebhookEndpointUpdate


@dataclass(frozen=True)
class NewEndpoint:
    endpoint: WebhookEndpoint
    secret: str


async def vet_url(url: str, settings: Settings) -> None:
    """``InvalidInput`` (``url``) unless the URL's host resolves only to public (or operator-allowed) addresses."""
    try:
        await check_url(url, allow=settings.ssrf_allow)
    except SsrfRefused as exc:
        raise InvalidInput("url_not_allowed", f"The URL is not allowed: {exc.detail or exc.reason}", "url") from exc
    except FetchError as exc:
        raise InvalidInput("url_unresolvable", f"The URL's host cannot be resolved: {exc.detail}", "url") from exc


def _check_event_types(event_types: list[str]) -> list[str]:
    unknown = [t for t in event_types if not is_offered(t)]
    if unknown:
        raise InvalidInput(
            "unknown_event_type",
            f"Not event types offered to webhooks: {', '.join(unknown[:5])} (see GET /v1/event-types)",
            "event_types",
        )
    return sorted(set(event_types))


async def create_endpoint(
    session: AsyncSession, principal: Principal, payload: WebhookEndpointCreate, settings: Settings
) -> NewEndpoint:
    if principal.is_operator:
        if payload.all_accounts == (payload.account_id is not None):
            raise InvalidInput(
                "owner_required", "Operators give either all_accounts: true or an account_id", "account_id"
            )
        account_id = payload.account_id
    else:
        if payload.all_accounts or payload.account_id not in (None, principal.account_id):
            raise ProblemError(
                403, "operator_only", "Forbidden", "Only operators create endpoints for all or other accounts"
            )
        if principal.account_id is None:
            raise ProblemError(403, "no_account", "Forbidden", "The token names no account")
        account_id = principal.account_id
    event_types = _check_event_types(payload.event_types)
    await vet_url(payload.url, settings)
    secret = new_secret()
    endpoint = WebhookEndpoint(
        id=new_id("ep"),
        account_id=account_id,
        all_accounts=payload.all_accounts,
        url=payload.url,
        description=payload.description,
        event_types=event_types,
        enabled=payload.enabled,
        disabled_reason=None if payload.enabled else "manual",
        disabled_at=None if payload.enabled else utcnow(),
        secret=secret,
    )
    session.add(endpoint)
    await session.flush()
    await session.refresh(endpoint)
    return NewEndpoint(endpoint, secret)


async def get_endpoint(
    session: AsyncSession, principal: Principal, endpoint_id: str, *, for_update: bool = False
) -> WebhookEndpoint:
    endpoint = await repository.get_visible(session, principal, endpoint_id, for_update=for_update)
    if endpoint is None:
        raise not_found("Webhook endpoint", endpoint_id)
    return endpoint


async def update_endpoint(
    session: AsyncSession, principal: Principal, endpoint_id: str, payload: WebhookEndpointUpdate, settings: Settings
) -> WebhookEndpoint:
    endpoint = await get_endpoint(session, principal, endpoint_id, for_update=True)
    if payload.url is not None and payload.url != endpoint.url:
        await vet_url(payload.url, settings)
        endpoint.url = payload.url
    if payload.description is not None:
        endpoint.description = payload.description
    if payload.event_types is not None:
        endpoint.event_types = _check_event_types(payload.event_types)
    if payload.enabled is not None and payload.enabled != endpoint.enabled:
        endpoint.enabled = payload.enabled
        if payload.enabled:
            endpoint.disabled_reason, endpoint.disabled_at, endpoint.failing_since = None, None, None
            # Messages left pending while it was disabled are due now.
            await session.execute(
                update(WebhookMessage)
                .where(WebhookMessage.endpoint_id == endpoint.id, WebhookMessage.status == PENDING)
                .values(next_attempt_at=utcnow())
            )
        else:
            endpoint.disabled_reason, endpoint.disabled_at = "manual", utcnow()
    endpoint.updated_at = utcnow()
    await session.flush()
    return endpoint


async def delete_endpoint(session: AsyncSession, principal: Principal, endpoint_id: str) -> None:
    """Delete the endpoint with its messages and attempts (deliveries in flight are dropped)."""
    endpoint = await get_endpoint(session, principal, endpoint_id, for_update=True)
    await session.delete(endpoint)
    await session.flush()


async def rotate_secret(
    session: AsyncSession, principal: Principal, endpoint_id: str, settings: Settings
) -> tuple[WebhookEndpoint, str]:
    """A new secret; the current one keeps signing (alongside) for the grace window."""
    endpoint = await get_endpoint(session, principal, endpoint_id, for_update=True)
    now = utcnow()
    secret = new_secret()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = now + timedelta(seconds=settings.secret_grace_s)
    endpoint.secret = secret
    endpoint.updated_at = now
    await session.flush()
    return endpoint, secret


async def recover_failed(session: AsyncSession, principal: Principal, endpoint_id: str, since: datetime) -> int:
    """Queue again every message of the endpoint that failed at or after ``since``."""
    endpoint = await get_endpoint(session, principal, endpoint_id, for_update=True)
    if since > utcnow():
        raise InvalidInput("since_in_future", "since must not be in the future", "since")
    if not endpoint.enabled:
        raise ProblemError(409, "endpoint_disabled", "Conflict", "Enable the endpoint before recovering messages")
    result = await session.execute(
        update(WebhookMessage)
        .where(
            WebhookMessage.endpoint_id == endpoint.id,
            WebhookMessage.status == FAILED,
            WebhookMessage.last_attempt_at >= since,
        )
        .values(status=PENDING, round_attempts=0, next_attempt_at=utcnow())
        .returning(WebhookMessage.id)
    )
    return len(result.all())
