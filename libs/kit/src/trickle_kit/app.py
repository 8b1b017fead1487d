"""Builds a service's FastAPI app: problem+json, request ids, body limit, rate limits, health, DB engine lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trickle_kit.body_limit import BodyLimitMiddleware
from trickle_kit.db import make_engine, make_sessionmaker
from trickle_kit.gc_pauses import freeze_startup_objects
from trickle_kit.health import router as health_router
from trickle_kit.ids import new_id
from trickle_kit.logs import configure_logging
from trickle_kit.metrics_http import install_metrics
from trickle_kit.problems import install_problem_handlers
from trickle_kit.ratelimit import install_rate_limits
from trickle_kit.settings import KitSettings
from trickle_kit.tracing import configure_tracing, instrument_app

Hook = Callable[[FastAPI], Awaitable[None]]


def operation_id(route: APIRoute) -> str:
    """Stable snake_case operationIds: the endpoint function's name."""
    return route.name


def create_app(
    settings: KitSettings,
    *,
    title: str,
    version: str = "1.0.0",
    description: str = "",
    routers: Sequence[APIRouter] = (),
    on_startup: Sequence[Hook] = (),
    on_shutdown: Sequence[Hook] = (),
    openapi_tags: list[dict[str, Any]] | None = None,
) -> FastAPI:
    """The app with everything every Trickle service has; ``app.state.sessions`` is the session factory."""
    configure_logging(settings.service_name, settings.log_level, settings.log_json)
    configure_tracing(settings.service_name)  # OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set, else off

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(
            settings.database_url, application_name=f"{settings.service_name}-api", pool_size=settings.db_pool_size
        )
        app.state.engine = engine
        app.state.sessions = make_sessionmaker(engine)
        for hook in on_startup:
            await hook(app)
        freeze_startup_objects()
        try:
            yield
        finally:
            for hook in on_shutdown:
                await hook(app)
            await engine.dispose()

    app = FastAPI(
        title=title,
        version=version,
        description=description,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        openapi_tags=openapi_tags,
        separate_input_output_schemas=False,
    )
    app.state.settings = settings
    install_problem_handlers(app)
    app.include_router(health_router)
    for router in routers:
        app.include_router(router)
    # The last added runs first: request ids (so 413s and 429s carry one too), then the body
    # limit, then the rate limit; the app only after all three.
    install_rate_limits(app, settings)
    app.add_middleware(BodyLimitMiddleware, max_body=settings.max_body_bytes)
    app.add_middleware(RequestContextMiddleware)
    install_metrics(app)  # outermost: counts every answer, 413s and 429s too; GET /metrics
    instrument_app(app)  # a server span per request around all of it, when tracing is on
    return app


class RequestContextMiddleware:
    """Request ids (``X-Request-Id``, echoed; bound in the log context) and a log line per request.

    Plain ASGI: ``@app.middleware("http")`` (``BaseHTTPMiddleware``) costs a task and a
    memory stream per request, more than many endpoints themselves.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.log = structlog.get_logger("trickle.http")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id: str | None = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                request_id = value.decode("latin-1")
                break
        request_id = request_id or new_id("req")
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["x-request-id"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
            path = scope["path"]
            if path not in ("/healthz", "/readyz"):
                self.log.info("request", method=scope["method"], path=path, status=status)
        finally:
            structlog.contextvars.unbind_contextvars("request_id")
