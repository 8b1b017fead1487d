"""The click-ledger app under test: its settings and an in-process client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_click_ledger.settings import Settings
from trickle_kit.testing_auth import TokenFactory


def settings_for(database_url: str, topic_prefix: str) -> Settings:
    # demo_calendar: many tests seal the open period long before its month ends.
    return Settings(
        database_url=database_url,
        topic_prefix=topic_prefix,
        log_json=False,
        log_level="WARNING",
        db_pool_size=5,
        demo_calendar=True,
    )


@asynccontextmanager
async def app_client(settings: Settings, tokens: TokenFactory) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client of an app built with ``settings`` that trusts ``tokens`` (its app on ``.app``)."""
    from trickle_click_ledger.app import build_app  # imported late: its module-level app reads the environment

    app = build_app(settings)
    app.state.verifier = tokens.verifier()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://click-ledger.test") as c:
            c.app = app  # type: ignore[attr-defined]
            yield c


def sessions_of(client: Any) -> async_sessionmaker[AsyncSession]:
    """The session factory of the app behind an ``app_client``."""
    sessions: async_sessionmaker[AsyncSession] = client.app.state.sessions
    return sessions
