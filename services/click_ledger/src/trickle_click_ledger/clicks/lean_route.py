"""``POST /v1/clicks`` in its common case, answered without FastAPI's routing and dependency solving.

Under load nearly every request is a patron's click on a thing by id: a JSON body
``{"thing_id": …}``, a valid bearer token with ``clicks:write``, no ``Idempotency-Key``.
FastAPI's router (a scan over ~70 routes) and its dependency solving (token, sessions,
settings, batcher, body) cost more CPU than the click itself, so this route, placed first in
the app's routes, answers that case itself: the same checks, the same group commit
(``clicks/batcher.py``), the same response (``clicks/endpoints.click_response``).

Anything else — no or another content type, a body that is not a valid ``ClickCreate`` with
a ``thing_id``, a missing, invalid or unknown-key token, a missing scope, an operator's token,
an ``Idempotency-Key`` — goes to the FastAPI route (``clicks/endpoints.create_click``) with
the body as read, which answers it as it always has (its 400/401/403/422 problems, the
JWKS fetch for a new key, the one-click path). The refusals of the click itself (404 unknown
thing, 409 own thing or suspended patron) are raised here as there, and the app's handlers
turn them into the same problem+json. The OpenAPI document is the FastAPI route's.

Everything around routing still applies: the edge layer (metrics under the route's
template, request id, access log, body limit, rate limit), CORS and the exception handlers.
"""

from __future__ import annotations

from typing import Any, cast

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import ValidationError
from starlette.datastructures import URLPath
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Message, Receive, Scope, Send

from trickle_click_ledger.clicks.batcher import ClickBatcher
from trickle_click_ledger.clicks.endpoints import click_response, create_click
from trickle_click_ledger.clicks.schemas import ClickCreate
from trickle_kit.auth import verifier_of
from trickle_kit.problems import ProblemError

PATH = "/v1/clicks"
SCOPE = "clicks:write"


class LeanClickRoute(BaseRoute):
    """Matches ``POST /v1/clicks`` as the FastAPI route ``full`` does, and hands it what it does not answer."""

    def __init__(self, full: APIRoute) -> None:
        self.full = full
        self.path = full.path  # the metrics' and traces' route template
        self.name = full.name

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and scope["method"] == "POST" and _route_path(scope) == PATH:
            # The child scope the FastAPI route would give: handing over needs no new match.
            return Match.FULL, {"endpoint": self.full.endpoint, "path_params": {}, "route": self.full}
        return Match.NONE, {}

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        raise NoMatchFound(name, path_params)  # url_for finds the FastAPI route, after this one

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        authorization: bytes | None = None
        content_type: bytes | None = None
        idempotent = False
        for name, value in scope["headers"]:
            if name == b"authorization":
                if authorization is None:
                    authorization = value
            elif name == b"content-type":
                if content_type is None:
                    content_type = value
            elif name == b"idempotency-key":
                idempotent = True
        body = await _read_body(receive)
        principal = None
        payload: ClickCreate | None = None
        if not idempotent and content_type == b"application/json" and authorization is not None:
            scheme, _, token = authorization.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token:
                try:
                    payload = ClickCreate.model_validate_json(body)
                    # Only the keys the verifier holds: a new key is the FastAPI route's to fetch.
                    principal = await verifier_of(Request(scope)).verify(token.strip(), refresh=False)
                except (ValidationError, ProblemError):
                    principal = None
        if (
            principal is None
            or payload is None
            or payload.thing_id is None
            or principal.account_id is None
            or not principal.has(SCOPE)
        ):
            await self.full.handle(scope, _replay(body, receive), send)
            return
        batcher = cast(ClickBatcher, cast(FastAPI, scope["app"]).state.click_batcher)
        click, created = await batcher.click(principal.account_id, payload.thing_id)
        await click_response(click, created=created)(scope, receive, send)


def _route_path(scope: Scope) -> str:
    """The path under the app's root path, as Starlette's routes match it."""
    root = scope.get("root_path", "")
    path: str = scope["path"]
    return path[len(root) :] if root and path.startswith(root) else path


async def _read_body(receive: Receive) -> bytes:
    """The whole request body; a client gone before sending it is FastAPI's 400, as on its route."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.request":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return b"".join(chunks)
        elif message["type"] == "http.disconnect":
            raise HTTPException(status_code=400, detail="There was an error parsing the body") from ClientDisconnect()


def _replay(body: bytes, receive: Receive) -> Receive:
    """``receive`` for the FastAPI route: the body already read, then whatever the server says next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def install_lean_click_route(app: FastAPI) -> None:
    """Put the lean ``POST /v1/clicks`` first in ``app``'s routes, in front of its FastAPI route."""
    for route in _api_routes(app.router.routes):
        if route.endpoint is create_click:
            app.router.routes.insert(0, LeanClickRoute(route))
            return
    raise RuntimeError("POST /v1/clicks is not a route of this app")


def _api_routes(routes: list[BaseRoute]) -> list[APIRoute]:
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        else:
            nested = getattr(getattr(route, "original_router", None), "routes", None)
            if nested is not None:
                found += _api_routes(nested)
    return found
