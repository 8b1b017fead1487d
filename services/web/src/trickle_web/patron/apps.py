"""/apps: the third-party apps the person authorized (OAuth), with their scopes in words; revoke one."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from trickle_client.api.wallet import list_authorized_apps, revoke_authorized_app

from trickle_web.forms import problem_form
from trickle_web.routing import page_router
from trickle_web.sessions.browser import browser
from trickle_web.templating import render
from trickle_web.upstream import api, call, parsed, problem_body

router = page_router()


@router.get("/apps")
async def apps_page(request: Request) -> Response:
    client = await api(request)
    account_id = browser(request).account_id
    assert account_id is not None
    listed = parsed(await call(list_authorized_apps.asyncio_detailed, account_id, client=client, limit=100), 200)
    context = {"apps": listed.data if listed is not None else [], "done": request.query_params.get("done", "")}
    return await render(request, "patron/apps.html", context)


@router.post("/apps/{client_id}/revoke")
async def revoke_app(request: Request, client_id: str) -> Response:
    client = await api(request)
    account_id = browser(request).account_id
    assert account_id is not None
    answer = await call(revoke_authorized_app.asyncio_detailed, account_id, client_id, client=client)
    if answer.status_code >= 300:
        context = {"apps": [], "form": problem_form(problem_body(answer), {}, ()), "done": ""}
        return await render(request, "patron/apps.html", context, 422)
    return RedirectResponse("/apps?done=revoked", status_code=303)
