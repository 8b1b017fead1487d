"""What endpoints take from the app: the session factory and the settings."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_webhook.settings import Settings


def sessions_of(request: Request) -> async_sessionmaker[AsyncSession]:
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessions
    return sessions


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings
