"""HTTP API of webhook endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.dependencies import Sessions
from trickle_kit.idempotency import IdempotencyKey, begin_idempotent, create_once, json_response, without_secret
from trickle_kit.pagination import Pagination, cursor_of, paginate
from trickle_kit.problems import input_from, problem_responses
from trickle_webhook.deps import AppSettings, WebhooksRead, WebhooksWrite
from trickle_webhook.messages import repository as messages_repository
from trickle_webhook.webhook_endpoints import repository, service
from trickle_webhook.webhook_endpoints.schemas import (
    WebhookEndpoint,
    WebhookEndpointCreate,
    WebhookEndpointCreated,
    WebhookEndpointList,
    WebhookEndpointUpdate,
    WebhookRecoverRequest,
    WebhookRecovery,
    WebhookSecretRotation,
)

router = APIRouter(tags=["webhook endpoints"])
EndpointId = Annotated[str, Path(max_length=40, description="A webhook endpoint id", examples=["ep_0190c0ffee…"])]


@router.post(
    "/v1/webhook-endpoints",
    status_code=201,
    response_model=WebhookEndpointCreated,
    responses=problem_responses(400, 401, 403, 409, 413, 422),
)
async def create_webhook_endpoint(
    request: Request,
    payload: WebhookEndpointCreate,
    principal: WebhooksWrite,
    settings: AppSettings,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Register an endpoint; its signing secret is in this response only."""

    async def create(session: AsyncSession) -> tuple[WebhookEndpointCreated, str]:
        with input_from("body"):
            new = await service.create_endpoint(session, principal, payload, settings)
        out = WebhookEndpointCreated(**WebhookEndpoint.model_validate(new.endpoint).model_dump(), secret=new.secret)
        return out, f"/v1/webhook-endpoints/{out.id}"

    response, _ = await create_once(
        request, key=idempotency_key, scope=principal.subject, body=payload, create=create, redact=without_secret
    )
    return response


@router.get("/v1/webhook-endpoints", response_model=WebhookEndpointList, responses=problem_responses(401, 403, 422))
async def list_webhook_endpoints(
    page: Pagination,
    principal: WebhooksRead,
    sessions: Sessions,
    account_id: Annotated[str | None, Query(max_length=40, description="Operators: one account's endpoints")] = None,
) -> WebhookEndpointList:
    async with sessions() as session:
        stmt = repository.endpoints_visible_to(principal, account_id)
        rows, has_more = await paginate(session, stmt, repository.WebhookEndpoint.id, page)
    return WebhookEndpointList(
        data=[WebhookEndpoint.model_validate(r) for r in rows],
        has_more=has_more,
        next_starting_after=cursor_of(rows, has_more),
    )


@router.get(
    "/v1/webhook-endpoints/{endpoint_id}",
    response_model=WebhookEndpoint,
    responses=problem_responses(401, 403, 404, 422),
)
async def get_webhook_endpoint(endpoint_id: EndpointId, principal: WebhooksRead, sessions: Sessions) -> WebhookEndpoint:
    async with sessions() as session:
        endpoint = await service.get_endpoint(session, principal, endpoint_id)
    return WebhookEndpoint.model_validate(endpoint)


@router.patch(
    "/v1/webhook-endpoints/{endpoint_id}",
    response_model=WebhookEndpoint,
    responses=problem_responses(400, 401, 403, 404, 413, 422),
)
async def update_webhook_endpoint(
    endpoint_id: EndpointId,
    payload: WebhookEndpointUpdate,
    principal: WebhooksWrite,
    sessions: Sessions,
    settings: AppSettings,
) -> WebhookEndpoint:
    """Change the URL, description, event types or enabled flag (enabling resumes pending deliveries)."""
    async with sessions() as session, session.begin():
        with input_from("body"):
            endpoint = await service.update_endpoint(session, principal, endpoint_id, payload, settings)
        if payload.enabled:
            await messages_repository.notify_due(session)
        out = WebhookEndpoint.model_validate(endpoint)
    return out


@router.delete("/v1/webhook-endpoints/{endpoint_id}", status_code=204, responses=problem_responses(401, 403, 404, 422))
async def delete_webhook_endpoint(endpoint_id: EndpointId, principal: WebhooksWrite, sessions: Sessions) -> Response:
    """Delete the endpoint, its messages and their attempts."""
    async with sessions() as session, session.begin():
        await service.delete_endpoint(session, principal, endpoint_id)
    return Response(status_code=204)


@router.post(
    "/v1/webhook-endpoints/{endpoint_id}/rotate-secret",
    response_model=WebhookSecretRotation,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def rotate_webhook_endpoint_secret(
    request: Request,
    endpoint_id: EndpointId,
    principal: WebhooksWrite,
    sessions: Sessions,
    settings: AppSettings,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """A new signing secret (shown once); the old one also signs deliveries during the grace window."""
    async with begin_idempotent(
        sessions, key=idempotency_key, scope=principal.subject, request=request, body={"endpoint_id": endpoint_id}
    ) as idem:
        if idem.replay is not None:
            return idem.replay
        async with sessions() as session, session.begin():
            endpoint, secret = await service.rotate_secret(session, principal, endpoint_id, settings)
            out = WebhookSecretRotation(
                endpoint_id=endpoint.id, secret=secret, previous_secret_expires_at=endpoint.previous_secret_expires_at
            )
            await idem.store(session, json_response(out.model_copy(update={"secret": None}).model_dump(mode="json")))
        return json_response(out.model_dump(mode="json"))


@router.post(
    "/v1/webhook-endpoints/{endpoint_id}/recover",
    response_model=WebhookRecovery,
    responses=problem_responses(400, 401, 403, 404, 409, 422),
)
async def recover_webhook_endpoint(
    endpoint_id: EndpointId, payload: WebhookRecoverRequest, principal: WebhooksWrite, sessions: Sessions
) -> WebhookRecovery:
    """Queue again every message of this endpoint that failed since a time (a fresh retry schedule each)."""
    async with sessions() as session, session.begin():
        with input_from("body"):
            count = await service.recover_failed(session, principal, endpoint_id, payload.since)
        if count:
            await messages_repository.notify_due(session)
    return WebhookRecovery(endpoint_id=endpoint_id, requeued=count)
