"""Kafka event handlers of the webhook service."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from trickle_kit.worker import Runnable
from trickle_webhook.settings import Settings


def consumers(
    settings: Settings, engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> Sequence[Runnable]:
    """The webhook's consumers (none yet)."""
    return []
