"""SQLAlchemy tables of the wallet service."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from trickle_kit.db import new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()
