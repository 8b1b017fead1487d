"""Builds the click-ledger's FastAPI app."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from trickle_click_ledger.claims.endpoints import router as claims_router
from trickle_click_ledger.clicks.batcher import ClickBatcher
from trickle_click_ledger.clicks.endpoints import router as clicks_router
from trickle_click_ledger.clicks.endpoints import thing_clicks_router
from trickle_click_ledger.clicks.lean_route import install_lean_click_route
from trickle_click_ledger.creators.endpoints import router as creators_router
from trickle_click_ledger.periods.endpoints import router as periods_router
from trickle_click_ledger.seal.endpoints import router as seal_router
from trickle_click_ledger.seal.service import warn_if_demo_calendar
from trickle_click_ledger.settings import Settings
from trickle_click_ledger.subscriptions.endpoints import router as subscriptions_router
from trickle_click_ledger.things.endpoints import router as things_router
from trickle_click_ledger.widgets.endpoints import router as widgets_router
from trickle_events.topics import ALL_TOPICS
from trickle_kit.app import create_app
from trickle_kit.operations.router import operations_router


def build_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    async def start_batcher(app: FastAPI) -> None:
        warn_if_demo_calendar(settings.demo_calendar)
        app.state.click_batcher = ClickBatcher(
            app.state.sessions,
            engine=app.state.engine,
            partitions=settings.click_partitions,
            max_batch=settings.click_batch_max,
            writers=settings.click_batch_writers,
            interval_s=settings.click_batch_interval_s,
        )

    async def stop_batcher(app: FastAPI) -> None:
        await app.state.click_batcher.close()

    app = create_app(
        settings,
        title="Trickle click-ledger",
        description="Things, clicks, claims, subscriptions, periods and widgets.",
        # Widgets first: /v1/things/{id}/counts and button.svg are public.
        routers=[
            widgets_router,
            things_router,
            thing_clicks_router,
            clicks_router,
            claims_router,
            subscriptions_router,
            periods_router,
            seal_router,
            creators_router,
            operations_router("click-ledger", topics=ALL_TOPICS),
        ],
        on_startup=[start_batcher],
        on_shutdown=[stop_batcher],
    )
    # The common click (by thing id, no Idempotency-Key) is answered before FastAPI's routing
    # and dependency solving, which cost more than the click; the rest goes to its FastAPI route.
    install_lean_click_route(app)
    # Widgets and the embed script are called from any web page; auth is by bearer token
    # (never cookies), so an open CORS policy exposes nothing a page could not ask anyway.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "DELETE", "PATCH", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "If-None-Match"],
        expose_headers=["ETag", "Location"],
        allow_credentials=False,
    )
    return app


app = build_app()
