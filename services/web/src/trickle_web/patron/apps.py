"""/apps: the third-party apps the person authorized (OAuth), with their scopes in words; revoke one."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from trickle_web.forms import problem_form
from trickle_web.routing import page_router
from trickle_web.sessions.browser import browser
from trickle_web.templating import render
from trickle_web.upstream import api, problem_of, send

router = page_router()


def apps_path(account_id: str) -> str:
    return f"/v1/accounts/{quote(account_id, safe='')}/authorized-apps"


@router.get("/apps")
async def apps_page(request: Request) -> Response:
    client = await api(request)
    account_id = browser(request).account_id
    assert account_id is not None
    answer = await send(client, "GET", apps_path(account_id), params={"limit": 100})
    apps = answer.json().get("data", []) if answer.status_code == 200 else []
    context = {"apps": apps, "done": request.query_params.get("done", "")}
    return await render(request, "patron/apps.html", context)


@router.post("/apps/{client_id}/revoke")
async def revoke_app(request: Request, client_id: str) -> Response:
    client = await api(request)
    account_id = browser(request).account_id
    assert account_id is not None
    answer = await send(client, "DELETE", f"{apps_path(account_id)}/{quote(client_id, safe='')}")
    if answer.status_code >= 300:
        context = {"apps": [], "form": problem_form(problem_of(answer), {}, ()), "done": ""}
        return await render(request, "patron/apps.html", context, 422)
    return RedirectResponse("/apps?done=revoked", status_code=303)
