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
from trickle_client.api.click_ledger import get_thing_counts, list_things, lookup_thing

from trickle_web.forms import Form as PageForm
from trickle_web.routing import page_router
from trickle_web.sessions.browser import settings_of
from trickle_web.templating import render
from trickle_web.upstream import anonymous_api, api, call, parsed

router = page_router()


def public_origin(request: Request) -> str:
    """The origin people reach Trickle at (the gateway serves the pages and the API there)."""
    return (settings_of(request).public_base_url or str(request.base_url)).rstrip("/")


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
    client = await api(request)
    listed = parsed(await call(list_things.asyncio_detailed, client=client, limit=100), 200)
    things = listed.data if listed else []
    form = PageForm(values={"thing_id": thing_id, "url": url})
    chosen: Any = None
    url = url.strip()
    if thing_id:
        chosen = next((t for t in things if t.id == thing_id), None)
        if chosen is None:
            form.errors["thing_id"] = "Choose one of your things."
    elif url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            form.errors["url"] = "Enter the page's full address, starting with https://"
        else:
            found = await call(lookup_thing.asyncio_detailed, client=anonymous_api(request), url_query=url)
            chosen = parsed(found, 200)
    elif things:
        chosen = things[0]
    origin = public_origin(request)
    code = None
    if chosen is not None and not url:
        code = snippet(origin, thing_id=chosen.id)
    elif url and not form.errors:
        code = snippet(origin, url=url)
    counts = None
    if chosen is not None:
        counts = parsed(await call(get_thing_counts.asyncio_detailed, chosen.id, client=anonymous_api(request)), 200)
    options = [(t.id, t.title or t.url) for t in things]
    context = {"things": things, "options": options, "form": form, "chosen": chosen, "snippet": code, "counts": counts}
    return await render(request, "creator/widget.html", context, 422 if form.errors else 200)
