"""Builds the web front end's FastAPI app: pages, static files, sessions, security headers."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from trickle_kit.app import create_app
from trickle_web import sections
from trickle_web.accounts.pages import router as accounts_router
from trickle_web.button.pages import router as button_router
from trickle_web.errors import install_page_errors
from trickle_web.headers import SecurityHeadersMiddleware
from trickle_web.home import router as home_router
from trickle_web.models import load_all_models
from trickle_web.patron.apps import router as apps_router
from trickle_web.patron.clicks import router as clicks_router
from trickle_web.patron.refunds import router as refunds_router
from trickle_web.patron.statements import router as statements_router
from trickle_web.patron.subscriptions import router as subscriptions_router
from trickle_web.patron.tips import router as tips_router
from trickle_web.patron.wallet import router as wallet_router
from trickle_web.sessions.browser import SessionMiddleware
from trickle_web.settings import Settings

STATIC = Path(__file__).parent / "static"
# FastAPI's own API pages: the web is no API, and the gateway sends every path it does not route
# to an API here, so they would answer the public /docs, /redoc and /openapi.json with a document
# of the web's health and metrics endpoints. (``app.openapi()`` stays for tools/openapi.)
API_DOC_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"})


def build_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    load_all_models()

    async def open_transport(app: FastAPI) -> None:
        # One connection pool to the API for every page (a test may have set a fake one).
        if getattr(app.state, "api_transport", None) is None:
            app.state.api_transport = httpx.AsyncHTTPTransport(retries=1)
            app.state.owns_api_transport = True

    async def close_transport(app: FastAPI) -> None:
        if getattr(app.state, "owns_api_transport", False):
            await app.state.api_transport.aclose()
            app.state.api_transport = None

    app = create_app(
        settings,
        title="Trickle web",
        description="Pages for patrons, creators and operators over the public APIs.",
        routers=[
            home_router,
            accounts_router,
            wallet_router,
            refunds_router,
            clicks_router,
            subscriptions_router,
            tips_router,
            statements_router,
            apps_router,
            button_router,
            *sections.ROUTERS,
        ],
        on_startup=[open_transport],
        on_shutdown=[close_transport],
    )
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", None) not in API_DOC_PATHS]
    app.state.api_transport = None
    install_page_errors(app)
    sections.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(SessionMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    return app


app = build_app()
