"""SQLAlchemy tables of the settlement service: one shared Base; each domain defines its own models."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from trickle_kit.db import new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


def load_all_models() -> None:
    """Import every domain's models so ``Base.metadata`` is complete (alembic, tests)."""
    import trickle_settlement.close.models
    import trickle_settlement.escrow.models
    import trickle_settlement.ledger.models
    import trickle_settlement.money_flows.models
    import trickle_settlement.projections.models  # noqa: F401
