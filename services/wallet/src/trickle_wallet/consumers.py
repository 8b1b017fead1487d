"""Kafka event handlers of the wallet service."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from trickle_kit.worker import Runnable
from trickle_wallet.settings import Settings


def consumers(
    settings: Settings, engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> Sequence[Runnable]:
    """The wallet's consumers (none yet)."""
    return []
