"""Builds the webhook's FastAPI app."""

from __future__ import annotations

from fastapi import FastAPI

from trickle_kit.app import create_app
from trickle_webhook.settings import Settings


def build_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    return create_app(
        settings,
        title="Trickle webhooks",
        description="Webhook endpoints, signed deliveries with retries, attempt logs and replay.",
        routers=[],
    )


app = build_app()
