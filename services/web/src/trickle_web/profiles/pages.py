"""/creators/{account_id}: a creator's public profile: their things with click counts and the
patrons who support them publicly. Built only from what the API shows to anybody
(``GET /v1/creators/{account_id}``, no token, whoever is signed in), so it shows nobody who gives
privately (SPEC: privacy) and reads the same signed in or out."""

from __future__ import annotations

import re

from fastapi import Request
from fastapi.responses import Response
from trickle_client.api.click_ledger import get_creator_profile

from trickle_web.errors import error_page
from trickle_web.routing import page_router
from trickle_web.templating import render
from trickle_web.upstream import anonymous_api, call, parsed

router = page_router()
ACCOUNT_ID = re.compile(r"^[A-Za-z0-9_]{1,64}$")


@router.get("/creators/{account_id}")
async def profile_page(request: Request, account_id: str) -> Response:
    if not ACCOUNT_ID.match(account_id):
        return await error_page(request, 404, "There is no such creator.")
    profile = parsed(await call(get_creator_profile.asyncio_detailed, account_id, client=anonymous_api(request)), 200)
    if profile is None:
        return await error_page(request, 404, "There is no such creator.")
    return await render(request, "profiles/creator.html", {"profile": profile})
