"""The public API as the signed-in person: ``await api(request)`` is a generated
``AuthenticatedClient`` carrying their access token, refreshed first when it is near expiry.

All clients share one connection pool (``app.state.api_transport``, made in the app's lifespan;
a test may put a fake transport there).
"""

from __future__ import annotations

import contextlib
import json as json_module
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, ParamSpec, TypeVar, cast

import httpx
from fastapi import Request
from trickle_client import AuthenticatedClient, Client
from trickle_client.api.wallet import create_token, revoke_token
from trickle_client.models import BodyCreateToken, RevocationRequest
from trickle_client.types import Response as ApiResponse

from trickle_web.sessions import store
from trickle_web.sessions.browser import SessionView, browser, forget, sessions_of, settings_of

P = ParamSpec("P")
T = TypeVar("T")


class SignInRequired(Exception):
    """The page needs a signed-in person; the app answers with a redirect to /sign-in?next=…"""


class TokenRejected(SignInRequired):
    """The API refused the session's access token (401): the grant ended elsewhere (a password reset,
    a sign-out on another device). The session ends here too."""


class UpstreamUnavailable(Exception):
    """The API did not answer usably (down, time-out, 5xx): the app answers 503, the session stays."""


def transport(request: Request) -> httpx.AsyncBaseTransport:
    return cast(httpx.AsyncBaseTransport, request.app.state.api_transport)


def person_address(request: Request) -> dict[str, str]:
    """The person's address for the API's per-address limits (sign-in attempts, anonymous rate limits),
    which would otherwise count every visitor as this server. uvicorn took it from the gateway's
    X-Forwarded-For (believed from the gateway only); a gateway that believes this server (the k8s
    gateway's set_real_ip_from covers the pod network) passes it on, any other replaces it."""
    return {"X-Forwarded-For": request.client.host} if request.client else {}


def anonymous_api(request: Request) -> Client:
    """The public API without a token (sign-up, sign-in, public pages)."""
    settings = settings_of(request)
    return Client(
        base_url=settings.api_base_url,
        headers=person_address(request),
        timeout=httpx.Timeout(settings.api_timeout_s),
        httpx_args={"transport": transport(request)},
    )


async def api(request: Request) -> AuthenticatedClient:
    """The public API as the signed-in person (raises ``SignInRequired`` when nobody is)."""
    session = browser(request).session
    if session is None or session.account_id is None or session.access_token is None:
        raise SignInRequired()
    if needs_refresh(request, session):
        session = await refresh(request)
    assert session.access_token is not None
    settings = settings_of(request)
    return AuthenticatedClient(
        base_url=settings.api_base_url,
        token=session.access_token,
        headers=person_address(request),
        timeout=httpx.Timeout(settings.api_timeout_s),
        httpx_args={"transport": transport(request)},
    )


def needs_refresh(request: Request, session: SessionView) -> bool:
    margin = timedelta(seconds=settings_of(request).refresh_margin_s)
    return session.access_expires_at is None or session.access_expires_at - store.now() <= margin


async def refresh(request: Request) -> SessionView:
    """New tokens for this session from its refresh token (``grant_type=refresh_token``).

    The row is locked while the wallet answers: two requests of one browser must not both
    spend the refresh token, since the wallet treats a reused one as stolen and revokes the
    grant. The second finds the tokens the first stored and uses them.
    """
    current = browser(request)
    assert current.cookie_value is not None
    async with sessions_of(request)() as db, db.begin():
        row = await store.find(db, current.cookie_value, for_update=True)
        if row is None or row.account_id is None or row.refresh_token is None:
            forget(current)
            raise SignInRequired()
        view = SessionView.of(row)
        if not needs_refresh(request, view):
            current.session = view  # another request of this browser refreshed meanwhile
            return view
        answer = await refresh_grant(request, row.refresh_token)
        if answer.status_code in (400, 401):
            # Expired, revoked (signed out elsewhere, password reset) or reused: the grant is over.
            await store.end(db, row)
            forget(current)
            raise SignInRequired()
        if answer.status_code != 200:
            raise UpstreamUnavailable(f"token refresh answered {answer.status_code}")
        body = json_module.loads(answer.content)
        body.setdefault("refresh_token", row.refresh_token)  # a server that does not rotate keeps the old one
        store.store_tokens(row, tokens_from(body, account_id=row.account_id))
        view = SessionView.of(row)
    current.session = view
    return view


async def refresh_grant(request: Request, refresh_token: str) -> ApiResponse[Any]:
    """``grant_type=refresh_token`` at the wallet's token endpoint, as the public client ``trickle-web``."""
    body = BodyCreateToken(
        grant_type="refresh_token", refresh_token=refresh_token, client_id=settings_of(request).oauth_client_id
    )
    try:
        return await create_token.asyncio_detailed(client=anonymous_api(request), body=body)
    except httpx.HTTPError as exc:
        raise UpstreamUnavailable(str(exc)) from exc


async def revoke(request: Request, refresh_token: str) -> None:
    """RFC 7009: end the grant behind ``refresh_token`` (best effort: sign-out never fails)."""
    body = RevocationRequest(token=refresh_token, client_id=settings_of(request).oauth_client_id)
    # The session row is gone already; a refresh token the wallet did not hear about expires on its own.
    with contextlib.suppress(httpx.HTTPError):
        await revoke_token.asyncio_detailed(client=anonymous_api(request), body=body)


def tokens_from(body: dict[str, Any], *, account_id: str | None = None) -> store.Tokens:
    """``Tokens`` from a SessionTokens or token-endpoint answer (``expires_in`` made absolute)."""
    return store.Tokens(
        account_id=str(body.get("account_id") or account_id),
        access_token=str(body["access_token"]),
        access_expires_at=store.now() + timedelta(seconds=float(body["expires_in"])),
        refresh_token=str(body["refresh_token"]),
    )


async def send(
    client: Client | AuthenticatedClient,
    method: str,
    path: str,
    *,
    json: Any = None,
    params: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
) -> httpx.Response:
    """One API call through the client's connection pool, for the operations the generated client
    does not have yet; a 5xx or no answer is ``UpstreamUnavailable`` (a 503 page), a 4xx is the
    caller's to show."""
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
    try:
        response = await client.get_async_httpx_client().request(
            method, path, json=json, params=params, headers=headers
        )
    except httpx.HTTPError as exc:
        raise UpstreamUnavailable(str(exc)) from exc
    if response.status_code >= 500:
        raise UpstreamUnavailable(f"{method} {path} answered {response.status_code}")
    if response.status_code == 401 and isinstance(client, AuthenticatedClient):
        raise TokenRejected()
    return response


def problem_of(response: httpx.Response) -> dict[str, Any]:
    """The problem+json body of a refused call (a generic one if the body is not JSON)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        return body
    return {"status": response.status_code, "code": "http_error", "detail": f"The API answered {response.status_code}."}


async def call(operation: Callable[P, Awaitable[ApiResponse[T]]], *args: P.args, **kwargs: P.kwargs) -> ApiResponse[T]:
    """A generated operation's ``asyncio_detailed`` (``await call(get_budget.asyncio_detailed, id, client=c)``),
    with the same rules as ``send``: no answer or a 5xx is a 503 page, a refused token signs out."""
    try:
        response = await operation(*args, **kwargs)
    except httpx.HTTPError as exc:
        raise UpstreamUnavailable(str(exc)) from exc
    if response.status_code >= 500:
        raise UpstreamUnavailable(f"{getattr(operation, '__module__', 'the API')} answered {response.status_code}")
    if response.status_code == 401 and isinstance(kwargs.get("client"), AuthenticatedClient):
        raise TokenRejected()
    return response


def parsed(response: ApiResponse[Any], *statuses: int) -> Any:
    """The parsed body when the status is one of ``statuses`` (default: any 2xx), else None."""
    good = response.status_code in statuses if statuses else 200 <= response.status_code < 300
    return response.parsed if good else None


def problem_body(response: ApiResponse[Any]) -> dict[str, Any]:
    """The problem+json body of a refused generated call."""
    try:
        body = json_module.loads(response.content)
    except ValueError:
        body = None
    if isinstance(body, dict):
        return body
    return {"status": int(response.status_code), "code": "http_error", "detail": "The API refused this request."}
