"""/creator/widget: the embed snippet for one of the creator's things (or any page URL), with a
live preview of the button as the page's visitors will see it.

The snippet is click-ledger's embed script (``/v1/embed.js``) and a ``trickle-button`` element
naming the thing by id (``data-thing-id``) or by address (``data-url``). The preview shows the
thing's button image (``/v1/things/{id}/button.svg``, the same picture the script draws) at this
site's origin, where the gateway serves the API; a URL nobody registered yet has no button image,
and the snippet works for it all the same (its first click makes it an unclaimed thing).
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import Response

from trickle_web.creator.calls import get_json
from trickle_web.forms import Form as PageForm
from trickle_web.routing import page_router
from trickle_web.templating import render
from trickle_web.upstream import anonymous_api, api, send

router = page_router()


def public_origin(request: Request) -> str:
    """The origin people reach Trickle at (the gateway serves the pages and the API there)."""
    return str(request.base_url).rstrip("/")


def snippet(origin: str, *, thing_id: str | None = None, url: str | None = None) -> str:
    """The HTML to paste: the embed script and the button element (a plain link without script)."""
    if thing_id:
        target, query = f'data-thing-id="{escape(thing_id)}"', f"thing_id={quote(thing_id, safe='')}"
    else:
        target, query = f'data-url="{escape(url or "")}"', f"url={quote(url or '', safe='')}"
    return (
        f'<script src="{escape(origin)}/v1/embed.js" async></script>\n'
        f'<a class="trickle-button" {target} href="{escape(origin)}/click?{escape(query)}">Support this on Trickle</a>'
    )


@router.get("/creator/widget")
async def widget_page(request: Request, thing_id: str = "", url: str = "") -> Response:
    await api(request)
    things = (await get_json(request, "/v1/things", {"limit": 100}) or {}).get("data", [])
    form = PageForm(values={"thing_id": thing_id, "url": url})
    chosen: dict[str, Any] | None = None
    code = None
    url = url.strip()
    if thing_id:
        chosen = next((t for t in things if t["id"] == thing_id), None)
        if chosen is None:
            form.errors["thing_id"] = "Choose one of your things."
    elif url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            form.errors["url"] = "Enter the page's full address, starting with https://"
        else:
            found = await send(anonymous_api(request), "GET", "/v1/things/lookup", params={"url": url})
            chosen = found.json() if found.status_code == 200 else None
    elif things:
        chosen = things[0]
    origin = public_origin(request)
    if chosen is not None and not url:
        code = snippet(origin, thing_id=chosen["id"])
    elif url and not form.errors:
        code = snippet(origin, url=url)
    counts = None
    if chosen is not None:
        answer = await send(anonymous_api(request), "GET", f"/v1/things/{quote(chosen['id'], safe='')}/counts")
        counts = answer.json() if answer.status_code == 200 else None
    options = [(t["id"], t.get("title") or t["url"]) for t in things]
    context = {"things": things, "options": options, "form": form, "chosen": chosen, "snippet": code, "counts": counts}
    return await render(request, "creator/widget.html", context, 422 if form.errors else 200)
