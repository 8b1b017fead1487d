"""How an operator signs in to the web pages, and how a page knows it is one.

The platform's operator is not a person's account: it is the wallet's operator credential
(``TRICKLE_WALLET_OPERATOR_CLIENT_ID`` / ``..._SECRET``), which ``POST /v1/oauth/token``
(``client_credentials``) exchanges for a short-lived token with the ``operator`` scope. The
sign-in page does exactly that, keeps only the token (never the secret) in a new server-side
session (a new id: no fixation) with no account, and signs out whoever was signed in in this
browser. When the token expires (the wallet's ``access_token_ttl_s``, 15 minutes by default) the
operator signs in again: there is no refresh token for client credentials, by design.

An account's API key is refused here even though the token endpoint would exchange it: only a
token carrying the ``operator`` scope opens these pages. The APIs check that scope again on every
call, so the web's check only decides which page to show.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import Request
from trickle_client import AuthenticatedClient

from trickle_web.sessions import store
from trickle_web.sessions.browser import SessionView, browser, sessions_of, settings_of
from trickle_web.upstream import UpstreamUnavailable, anonymous_api, transport

OPERATOR_SCOPE = "operator"


class OperatorSignInRequired(Exception):
    """The page is the operator's: a redirect to /operator/sign-in, or a 403 page for a person
    (``operator.pages.install_operator_errors``)."""


def is_operator_session(session: SessionView | None) -> bool:
    """A session the operator sign-in made: a token and no account (a person's always has one)."""
    return (
        session is not None
        and session.account_id is None
        and session.access_token is not None
        and session.access_expires_at is not None
        and session.access_expires_at > store.now()
    )


def operator_api(request: Request) -> AuthenticatedClient:
    """The public API as the operator (raises ``OperatorSignInRequired`` for anybody else)."""
    session = browser(request).session
    if not is_operator_session(session):
        raise OperatorSignInRequired()
    assert session is not None and session.access_token is not None
    settings = settings_of(request)
    return AuthenticatedClient(
        base_url=settings.api_base_url,
        token=session.access_token,
        timeout=httpx.Timeout(settings.api_timeout_s),
        httpx_args={"transport": transport(request)},
    )


async def exchange(request: Request, client_id: str, client_secret: str) -> httpx.Response:
    """``client_credentials`` at the wallet's token endpoint."""
    client = anonymous_api(request).get_async_httpx_client()
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret}
    try:
        return await client.post("/v1/oauth/token", data=form)
    except httpx.HTTPError as exc:
        raise UpstreamUnavailable(str(exc)) from exc


async def sign_in_operator(request: Request, access_token: str, expires_in: float) -> None:
    """Replace this browser's session with an operator session holding ``access_token``."""
    current = browser(request)
    async with sessions_of(request)() as db, db.begin():
        if current.cookie_value is not None and (old := await store.find(db, current.cookie_value)) is not None:
            await store.end(db, old)
        cookie_value, row = await store.start(db, settings_of(request))
        row.access_token = access_token
        row.access_expires_at = store.now() + timedelta(seconds=expires_in)
        view = SessionView.of(row)
    current.cookie_value, current.session, current.new_cookie = cookie_value, view, cookie_value
    current.signed_in_cookie, current.clear_cookie = False, False
