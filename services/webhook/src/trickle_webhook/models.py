"""SQLAlchemy tables of the webhook service.

``Base`` is shared by every domain; each domain keeps its tables in its own ``models.py``,
imported at the bottom so that alembic (which loads ``Base.metadata`` from here) sees them all.
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from trickle_kit.db import new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


# Domain tables register themselves on Base.metadata when imported.
import trickle_webhook.messages.models  # noqa: E402
import trickle_webhook.webhook_endpoints.models  # noqa: E402, F401
