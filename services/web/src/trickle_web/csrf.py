"""CSRF protection of every form: a synchronizer token (the session's random CSRF secret, kept
server-side) that every unsafe request must send back, as the form field ``csrf_token`` or the
``X-CSRF-Token`` header. A cross-site page can make a browser post with its cookie (SameSite=Lax
stops that for POSTs from other sites, but not from a sibling subdomain or an old browser) but
cannot read the token from our pages."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

from trickle_web.sessions.browser import browser

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class CsrfRefused(HTTPException):
    def __init__(self) -> None:
        super().__init__(
            403,
            "This form expired or did not come from Trickle's own pages. Go back, reload the page and send it again.",
        )


async def check_csrf(request: Request) -> None:
    """Refuse (403) an unsafe request whose token is missing or is not this session's."""
    if request.method in SAFE_METHODS:
        return
    session = browser(request).session
    given: object = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
        # Starlette keeps the parsed form: the endpoint's Form(...) parameters read it again for free.
        given = (await request.form()).get(CSRF_FIELD)
    if session is None or not isinstance(given, str):
        raise CsrfRefused()
    if not hmac.compare_digest(given.encode(), session.csrf_secret.encode()):
        raise CsrfRefused()
