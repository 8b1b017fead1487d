"""HTTP API of messages and attempts: the delivery log and replay."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from trickle_kit.dependencies import Sessions
from trickle_kit.pagination import Pagination, cursor_of, paginate
from trickle_kit.problems import not_found, problem_responses
from trickle_webhook.deps import WebhooksRead, WebhooksWrite
from trickle_webhook.messages import repository, service
from trickle_webhook.messages.schemas import (
    MessageStatus,
    WebhookAttempt,
    WebhookAttemptList,
    WebhookMessage,
    WebhookMessageList,
)
from trickle_webhook.webhook_endpoints.service import get_endpoint

router = APIRouter(tags=["webhook messages"])
EndpointId = Annotated[str, Path(max_length=40, description="A webhook endpoint id", examples=["ep_0190c0ffee…"])]
MessageId = Annotated[str, Path(max_length=40, description="A webhook message id", examples=["msg_0190c0ffee…"])]


@router.get(
    "/v1/webhook-endpoints/{endpoint_id}/messages",
    response_model=WebhookMessageList,
    responses=problem_responses(401, 403, 404, 422),
)
async def list_webhook_messages(
    endpoint_id: EndpointId,
    page: Pagination,
    principal: WebhooksRead,
    sessions: Sessions,
    status: Annotated[MessageStatus | None, Query(description="Only messages in this state")] = None,
) -> WebhookMessageList:
    """The endpoint's messages, oldest first."""
    async with sessions() as session:
        await get_endpoint(session, principal, endpoint_id)
        stmt = repository.messages_of(endpoint_id, status)
        rows, has_more = await paginate(session, stmt, repository.WebhookMessage.id, page)
    return WebhookMessageList(
        data=[WebhookMessage.model_validate(r) for r in rows],
        has_more=has_more,
        next_starting_after=cursor_of(rows, has_more),
    )


@router.get(
    "/v1/webhook-messages/{message_id}", response_model=WebhookMessage, responses=problem_responses(401, 403, 404, 422)
)
async def get_webhook_message(message_id: MessageId, principal: WebhooksRead, sessions: Sessions) -> WebhookMessage:
    async with sessions() as session:
        found = await repository.get_visible_message(session, principal, message_id)
    if found is None:
        raise not_found("Webhook message", message_id)
    return WebhookMessage.model_validate(found[0])


@router.get(
    "/v1/webhook-messages/{message_id}/attempts",
    response_model=WebhookAttemptList,
    responses=problem_responses(401, 403, 404, 422),
)
async def list_webhook_attempts(
    message_id: MessageId, page: Pagination, principal: WebhooksRead, sessions: Sessions
) -> WebhookAttemptList:
    """Every delivery attempt of the message: outcome, status, latency, response excerpt."""
    async with sessions() as session:
        if await repository.get_visible_message(session, principal, message_id) is None:
            raise not_found("Webhook message", message_id)
        rows, has_more = await paginate(session, repository.attempts_of(message_id), repository.WebhookAttempt.id, page)
    return WebhookAttemptList(
        data=[WebhookAttempt.model_validate(r) for r in rows],
        has_more=has_more,
        next_starting_after=cursor_of(rows, has_more),
    )


@router.post(
    "/v1/webhook-messages/{message_id}/resend",
    status_code=202,
    response_model=WebhookMessage,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def resend_webhook_message(message_id: MessageId, principal: WebhooksWrite, sessions: Sessions) -> WebhookMessage:
    """Deliver the message again (same webhook-id, so receivers can deduplicate)."""
    async with sessions() as session, session.begin():
        message = await service.resend_message(session, principal, message_id)
        out = WebhookMessage.model_validate(message)
    return out
