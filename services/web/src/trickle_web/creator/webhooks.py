"""/creator/webhooks: the account's webhook endpoints: list, create (the signing secret is on the
answer page only, once; this site never stores it), delete."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from trickle_web.creator.calls import get_json
from trickle_web.forms import Form as PageForm
from trickle_web.forms import idempotency_key, problem_form
from trickle_web.routing import page_router
from trickle_web.templating import render
from trickle_web.upstream import api, problem_of, send

router = page_router()
Text = Annotated[str, Form()]

ENDPOINT_FIELDS = ("url", "description", "event_types")


async def webhooks_context(request: Request) -> dict[str, Any]:
    await api(request)
    endpoints = await get_json(request, "/v1/webhook-endpoints", {"limit": 100})
    event_types = await get_json(request, "/v1/event-types")
    return {
        "endpoints": (endpoints or {}).get("data", []),
        "event_types": (event_types or {}).get("data", []),
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
    body = {"url": url.strip(), "description": description.strip(), "event_types": chosen}
    answer = await send(
        client, "POST", "/v1/webhook-endpoints", json=body, idempotency_key=idempotency_key(form, keep=True)
    )
    context = await webhooks_context(request)
    if answer.status_code != 201:
        values = {"url": url, "description": description}
        context["form"] = problem_form(problem_of(answer), values, ENDPOINT_FIELDS)
        context["chosen_types"] = chosen
        return await render(request, "creator/webhooks.html", context, 422)
    # Rendered, not redirected: the secret exists in this answer only and is never stored here.
    context["created"] = answer.json()
    response = await render(request, "creator/webhooks.html", context, 201)
    response.headers["cache-control"] = "no-store"
    return response


@router.post("/creator/webhooks/{endpoint_id}/delete")
async def delete_endpoint(request: Request, endpoint_id: str) -> Response:
    client = await api(request)
    answer = await send(client, "DELETE", f"/v1/webhook-endpoints/{quote(endpoint_id, safe='')}")
    if answer.status_code not in (204, 404):
        context = await webhooks_context(request)
        context["form"] = PageForm(error=str(problem_of(answer).get("detail") or "The endpoint was not deleted."))
        return await render(request, "creator/webhooks.html", context, answer.status_code)
    return RedirectResponse("/creator/webhooks?deleted=1", status_code=303)
