"""FastAPI dependencies every service's endpoints share.

The one way an endpoint gets the session factory is ``sessions: Sessions``; a worker or a
test that holds the app (not a request) uses ``app.state.sessions``, which ``create_app``'s
lifespan sets.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


# async on purpose: FastAPI runs plain ``def`` dependencies in its thread pool, a hop per request.
async def _sessions(request: Request) -> async_sessionmaker[AsyncSession]:
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessions
    return sessions


Sessions = Annotated[async_sessionmaker[AsyncSession], Depends(_sessions)]
"""The app's session factory: ``async with sessions() as session, session.begin(): ...``."""
