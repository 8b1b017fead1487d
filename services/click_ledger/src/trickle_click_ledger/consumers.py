"""Kafka event handlers of the click-ledger service."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from trickle_click_ledger.settings import Settings
from trickle_kit.worker import Runnable


def consumers(
    settings: Settings, engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> Sequence[Runnable]:
    """The click-ledger's consumers (none yet)."""
    return []
