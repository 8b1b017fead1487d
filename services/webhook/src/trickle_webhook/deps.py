"""What endpoints take from the app: the settings (the session factory is ``trickle_kit.dependencies.sessions_of``)."""

from __future__ import annotations

from fastapi import Request

from trickle_webhook.settings import Settings


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings
