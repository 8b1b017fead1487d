"""/creator/webhooks: the account's webhook endpoints: list, create (the signing secret is on the
answer page only, once; this site never stores it), delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from trickle_client.api.webhook import (
    create_webhook_endpoint,
    delete_webhook_endpoint,
    list_event_types,
    list_webhook_endpoints,
)
from trickle_client.models import WebhookEndpointCreate

from trickle_web.forms import Form as PageForm
from trickle_web.forms import idempotency_key, problem_form
from trickle_web.routing import page_router
from trickle_web.templating import render
from trickle_web.upstream import api, call, parsed, problem_body

router = page_router()
Text = Annotated[str, Form()]

ENDPOINT_FIELDS = ("url", "description", "event_types")


async def webhooks_context(request: Request) -> dict[str, Any]:
    client = await api(request)
    endpoints = parsed(await call(list_webhook_endpoints.asyncio_detailed, client=client, limit=100), 200)
    event_types = parsed(await call(list_event_types.asyncio_detailed, client=client), 200)
    return {
        "endpoints": endpoints.data if endpoints else [],
        "event_types": event_types.data if event_types else [],
        "form": PageForm(),
        "chosen_types": [],
        "key": idempotency_key(),
        "created": None,
    }


@router.get("/creator/webhooks")
async def webhooks_page(request: Request) -> Response:
    return await render(request, "creator/webhooks.html", await webhooks_context(request))


@router.post("/creator/webhooks")
async def create_endpoint(request: Request, url: Text = "", description: Text = "") -> Response:
    client = await api(request)
    form = await request.form()
    chosen = [v for v in form.getlist("event_types") if isinstance(v, str) and v]
    body = WebhookEndpointCreate(url=url.strip(), description=description.strip(), event_types=chosen)
    key = idempotency_key(form, keep=True)
    answer = await call(create_webhook_endpoint.asyncio_detailed, client=client, body=body, idempotency_key=key)
    context = await webhooks_context(request)
    if (created := parsed(answer, 201)) is None:
        values = {"url": url, "description": description}
        context["form"] = problem_form(problem_body(answer), values, ENDPOINT_FIELDS)
        context["chosen_types"] = chosen
        return await render(request, "creator/webhooks.html", context, 422)
    # Rendered, not redirected: the secret exists in this answer only and is never stored here.
    context["created"] = created
    response = await render(request, "creator/webhooks.html", context, 201)
    response.headers["cache-control"] = "no-store"
    return response


@router.post("/creator/webhooks/{endpoint_id}/delete")
async def delete_endpoint(request: Request, endpoint_id: str) -> Response:
    client = await api(request)
    answer = await call(delete_webhook_endpoint.asyncio_detailed, endpoint_id, client=client)
    if answer.status_code not in (204, 404):
        context = await webhooks_context(request)
        context["form"] = PageForm(error=str(problem_body(answer).get("detail") or "The endpoint was not deleted."))
        return await render(request, "creator/webhooks.html", context, answer.status_code)
    return RedirectResponse("/creator/webhooks?deleted=1", status_code=303)
