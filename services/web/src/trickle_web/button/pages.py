"""/click: the button's popup. embed.js opens it on the Trickle origin; a signed-in patron confirms
the click in one tap (a POST with the CSRF token: another site cannot click for them, and the
page refuses to be framed); a visitor signs in or up first and comes back here. After the click
the page tells the page that opened it {type: "trickle:clicked", url, count} (static/click.js);
that page never sees a token."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from trickle_client.api.click_ledger import create_click, get_thing, get_thing_counts, lookup_thing
from trickle_client.models import ClickCreate

from trickle_web.forms import Form as PageForm
from trickle_web.forms import idempotency_key as new_idempotency_key
from trickle_web.forms import problem_form
from trickle_web.routing import page_router
from trickle_web.sessions.browser import browser
from trickle_web.templating import render
from trickle_web.upstream import anonymous_api, api, call, parsed, problem_body

router = page_router()
Text = Annotated[str, Form()]
MAX_URL = 2048


def opener_origin(value: str | None) -> str:
    """The origin of the page that opened the popup (where the message goes), or "" if it is not one."""
    if not value or len(value) > 300:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query or parts.fragment:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def here(url: str, thing_id: str, origin: str) -> str:
    query = {k: v for k, v in (("url", url), ("thing_id", thing_id), ("origin", origin)) if v}
    return "/click?" + urlencode(query)


async def thing_of(request: Request, url: str, thing_id: str) -> Any:
    """The registered thing the button names, or None (an unknown URL becomes one when clicked)."""
    client = anonymous_api(request)
    if thing_id:
        return parsed(await call(get_thing.asyncio_detailed, thing_id, client=client), 200)
    return parsed(await call(lookup_thing.asyncio_detailed, client=client, url_query=url), 200)


@router.get("/click")
async def click_page(request: Request, url: str = "", thing_id: str = "", origin: str = "") -> Response:
    origin = opener_origin(origin)
    if not (url or thing_id) or len(url) > MAX_URL or len(thing_id) > 100:
        return await render(
            request, "error.html", {"status": 400, "detail": "This button names nothing to click."}, 400
        )
    if browser(request).account_id is None:  # sign in (or up) first, then back here
        return RedirectResponse("/sign-in?" + urlencode({"next": here(url, thing_id, origin)}), status_code=303)
    thing = await thing_of(request, url, thing_id)
    context = {"url": url, "thing_id": thing_id, "origin": origin, "thing": thing, "key": new_idempotency_key()}
    return await render(request, "button/confirm.html", context)


@router.post("/click")
async def click(
    request: Request, url: Text = "", thing_id: Text = "", origin: Text = "", idempotency_key: Text = ""
) -> Response:
    origin = opener_origin(origin)
    if browser(request).account_id is None:
        return RedirectResponse("/sign-in?" + urlencode({"next": here(url, thing_id, origin)}), status_code=303)
    client = await api(request)
    body = ClickCreate(thing_id=thing_id) if thing_id else ClickCreate(url=url)
    answer = await call(
        create_click.asyncio_detailed,
        client=client,
        body=body,
        idempotency_key=idempotency_key or new_idempotency_key(),
    )
    made = parsed(answer, 200, 201)
    if made is None:
        form: PageForm = problem_form(problem_body(answer), {}, ())
        thing = await thing_of(request, url, thing_id)
        context = {"url": url, "thing_id": thing_id, "origin": origin, "thing": thing, "form": form}
        context["key"] = new_idempotency_key()
        return await render(request, "button/confirm.html", context, 422)
    counts = parsed(await call(get_thing_counts.asyncio_detailed, made.thing_id, client=client), 200)
    message = {
        "type": "trickle:clicked",
        "url": url,
        "thing_id": made.thing_id,
        "count": counts.period_clicks if counts is not None else None,
    }
    context = {"message": message, "origin": origin, "again": answer.status_code == 200}
    return await render(request, "button/clicked.html", context)
