"""Small helpers of the creator pages."""

from __future__ import annotations

from fastapi import Request

from trickle_web.sessions.browser import browser


def account_of(request: Request) -> str:
    account_id = browser(request).account_id
    assert account_id is not None  # api(request) ran first: someone is signed in
    return account_id
