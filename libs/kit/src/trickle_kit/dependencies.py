"""FastAPI dependencies every service's endpoints share."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


def sessions_of(request: Request) -> async_sessionmaker[AsyncSession]:
    """The app's session factory (created by ``create_app``'s lifespan)."""
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessions
    return sessions


# async on purpose: FastAPI runs plain ``def`` dependencies in its thread pool, a hop per request.
async def _sessions(request: Request) -> async_sessionmaker[AsyncSession]:
    return sessions_of(request)


Sessions = Annotated[async_sessionmaker[AsyncSession], Depends(_sessions)]
