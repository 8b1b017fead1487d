"""Builds a service's FastAPI app: problem+json, request ids, body limit, rate limits, health, DB engine lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from trickle_kit.db import make_engine, make_sessionmaker
from trickle_kit.edge import EdgeMiddleware
from trickle_kit.gc_pauses import freeze_startup_objects, young_objects_collected_less_often
from trickle_kit.health import router as health_router
from trickle_kit.logs import configure_logging
from trickle_kit.metrics_http import install_metrics
from trickle_kit.problems import install_problem_handlers
from trickle_kit.ratelimit import rate_limiter_of
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
            with young_objects_collected_less_often():
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
    install_metrics(app)  # GET /metrics
    # One layer for metrics (every answer, 413s and 429s too), request ids and the access log,
    # the body limit, then the rate limit; the app only after all of them (trickle_kit.edge).
    limiter = rate_limiter_of(settings)
    app.state.rate_limiter = limiter
    app.add_middleware(EdgeMiddleware, max_body=settings.max_body_bytes, limiter=limiter)
    instrument_app(app)  # a server span per request around all of it, when tracing is on
    return app
