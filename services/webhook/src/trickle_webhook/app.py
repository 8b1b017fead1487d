"""Builds the webhook's FastAPI app."""

from __future__ import annotations

from fastapi import FastAPI

from trickle_events.topics import ALL_TOPICS
from trickle_kit.app import create_app
from trickle_kit.operations.router import operations_router
from trickle_webhook.event_types.endpoints import router as event_types_router
from trickle_webhook.messages.endpoints import router as messages_router
from trickle_webhook.models import load_all_models
from trickle_webhook.settings import Settings
from trickle_webhook.webhook_endpoints.endpoints import router as endpoints_router


def build_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    load_all_models()
    return create_app(
        settings,
        title="Trickle webhooks",
        description="Webhook endpoints, signed deliveries with retries, attempt logs and replay.",
        routers=[
            endpoints_router,
            messages_router,
            event_types_router,
            operations_router("webhook", topics=ALL_TOPICS),
        ],
    )


app = build_app()
