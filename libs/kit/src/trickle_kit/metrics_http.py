"""An API's HTTP metrics: requests and latency by route template, and its ``GET /metrics``.

The route label is the path template the request matched (``/v1/deposits/{deposit_id}``), never
the path itself: ids in paths would make a new series per request. A request answered before
routing (a 413 of the body limit, a 429 of the rate limit) is matched here against the app's
routes; one that matches none (a 404 of a made-up path) is counted as ``<unmatched>``, and a
method outside the usual ones as ``OTHER``: no client can add series.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route, Router
from starlette.types import Scope

from trickle_kit.metrics import HTTP_DURATION, HTTP_REQUESTS, UNMATCHED_ROUTE, exposition

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def install_metrics(app: FastAPI) -> None:
    """Serve ``GET /metrics`` (not in the OpenAPI document); ``trickle_kit.edge`` counts the requests."""

    async def metrics(_request: Request) -> Response:
        body, content_type = exposition()
        return Response(body, media_type=content_type)

    app.add_route("/metrics", metrics, methods=["GET"], include_in_schema=False)


def route_template(scope: Scope, templates: Callable[[], Router]) -> str:
    """The path template of the route ``scope`` was (or would be) handled by; ``<unmatched>`` if none."""
    route = scope.get("route")
    if route is None:  # answered before routing: match it against the app's templates
        for candidate in templates().routes:
            if candidate.matches(scope)[0] is Match.FULL:
                route = candidate
                break
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED_ROUTE


def templates_of(app: FastAPI) -> Router:
    """A router of the app's path templates (its OpenAPI paths and plain routes), only for matching."""

    async def nothing(_request: Request) -> Response:  # never called
        return Response(status_code=204)

    routes: list[BaseRoute] = []
    for path, operations in app.openapi().get("paths", {}).items():
        methods = [m.upper() for m in operations if m in ("get", "put", "post", "delete", "patch")]
        routes.append(Route(path, nothing, methods=methods))
    routes += [r for r in app.routes if isinstance(r, Route)]
    return Router(routes=routes)


class HttpMetrics:
    """Counts answered requests (``trickle_kit.edge.EdgeMiddleware`` calls ``record`` once the response was sent)."""

    def __init__(self) -> None:
        self._templates: Router | None = None
        # The labelled children, looked up once per series: ``labels()`` checks and locks on every
        # call, half the cost of counting a request. Bounded like the series themselves.
        self._counted: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def templates(self, scope: Scope) -> Router:
        if self._templates is None:
            self._templates = templates_of(scope["app"]) if isinstance(scope.get("app"), FastAPI) else Router()
        return self._templates

    def record(self, scope: Scope, status: int, seconds: float) -> None:
        """One request of ``scope`` answered with ``status`` (500 if it failed before answering) in ``seconds``."""
        route = route_template(scope, lambda: self.templates(scope))
        method = scope["method"] if scope["method"] in METHODS else "OTHER"  # a client picks any token
        key = (method, route, status)
        children = self._counted.get(key)
        if children is None:
            children = self._counted[key] = (
                HTTP_REQUESTS.labels(method, route, str(status)),
                HTTP_DURATION.labels(method, route),
            )
        children[0].inc()
        children[1].observe(seconds)
