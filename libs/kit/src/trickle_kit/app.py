"""Builds a service's FastAPI app: problem+json, request ids, body limit, health, DB engine lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.routing import APIRoute

from trickle_kit.db import make_engine, make_sessionmaker
from trickle_kit.health import router as health_router
from trickle_kit.ids import new_id
from trickle_kit.logs import configure_logging
from trickle_kit.problems import Problem, install_problem_handlers, problem_response
from trickle_kit.ratelimit import install_rate_limits
from trickle_kit.settings import KitSettings

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

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(
            settings.database_url, application_name=f"{settings.service_name}-api", pool_size=settings.db_pool_size
        )
        app.state.engine = engine
        app.state.sessions = make_sessionmaker(engine)
        for hook in on_startup:
            await hook(app)
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
    # Added before the request middleware so that one runs outermost (429s get request ids too).
    install_rate_limits(app, settings)
    _install_request_middleware(app, settings.max_body_bytes)
    return app


def _install_request_middleware(app: FastAPI, max_body: int) -> None:
    log = structlog.get_logger("trickle.http")

    @app.middleware("http")
    async def request_context(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request_id = request.headers.get("x-request-id") or new_id("req")
        request.state.request_id = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            length = request.headers.get("content-length")
            if length is not None and (not length.isdigit() or int(length) > max_body):
                response: Response = problem_response(
                    request,
                    Problem(
                        status=413,
                        code="payload_too_large",
                        title="Payload too large",
                        detail=f"Request bodies are limited to {max_body} bytes",
                    ),
                )
            else:
                response = await call_next(request)
            response.headers["x-request-id"] = request_id
            if request.url.path not in ("/healthz", "/readyz"):
                log.info("request", method=request.method, path=request.url.path, status=response.status_code)
            return response
        finally:
            structlog.contextvars.unbind_contextvars("request_id")
