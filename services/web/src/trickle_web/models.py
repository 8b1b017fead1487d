"""SQLAlchemy tables of the web service: one shared ``Base``; each domain keeps its tables in its own ``models.py``.

Domain models import ``Base`` from here; this module imports none of them (no import circle).
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from trickle_kit.db import new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


def load_all_models() -> None:
    """Import every domain's models so ``Base.metadata`` is complete (alembic, the app)."""
    import trickle_web.sessions.models  # noqa: F401
