"""Small helpers of the creator pages over ``upstream.send`` (the person's token)."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from trickle_web.sessions.browser import browser
from trickle_web.upstream import api, send


def account_of(request: Request) -> str:
    account_id = browser(request).account_id
    assert account_id is not None  # api(request) ran first: someone is signed in
    return account_id


async def get_json(request: Request, path: str, params: dict[str, Any] | None = None) -> Any:
    """A GET's JSON body as the signed-in person, or None when the API refused it."""
    answer = await send(await api(request), "GET", path, params=params)
    return answer.json() if answer.status_code == 200 else None
