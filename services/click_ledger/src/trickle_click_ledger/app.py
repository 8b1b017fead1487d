"""Builds the click-ledger's FastAPI app."""

from __future__ import annotations

from fastapi import FastAPI

from trickle_click_ledger.settings import Settings
from trickle_kit.app import create_app


def build_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    return create_app(
        settings,
        title="Trickle click-ledger",
        description="Things, clicks, claims, subscriptions, periods and widgets.",
        routers=[],
    )


app = build_app()
