"""The creator, public profile, operator and consent pages, as ``app.py`` mounts them: their
routers and the operator pages' error handler (a non-operator gets the operator sign-in or 403)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from trickle_web.creator.earnings import router as earnings_router
from trickle_web.creator.pages import router as creator_router
from trickle_web.creator.webhooks import router as webhooks_router
from trickle_web.creator.widget import router as widget_router
from trickle_web.oauth.consent import router as consent_router
from trickle_web.operator.pages import install_operator_errors
from trickle_web.operator.pages import router as operator_router
from trickle_web.profiles.pages import router as profiles_router

ROUTERS: list[APIRouter] = [
    creator_router,
    earnings_router,
    widget_router,
    webhooks_router,
    profiles_router,
    operator_router,
    consent_router,
]


def install(app: FastAPI) -> None:
    install_operator_errors(app)
