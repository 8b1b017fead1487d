"""The front page: signed in, the wallet; signed out, what Trickle is and how to start."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from trickle_web.routing import page_router
from trickle_web.sessions.browser import browser
from trickle_web.templating import render

router = page_router()


@router.get("/")
async def home(request: Request) -> Response:
    if browser(request).account_id is not None:
        return RedirectResponse("/wallet", status_code=303)
    return await render(request, "home.html")
