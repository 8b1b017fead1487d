"""Kafka event handlers of the settlement service."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from trickle_kit.worker import Runnable
from trickle_settlement.settings import Settings


def consumers(
    settings: Settings, engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> Sequence[Runnable]:
    """The settlement's consumers (none yet)."""
    return []
