"""SQLAlchemy tables of the wallet service: one shared ``Base``; each domain keeps its tables in its own ``models.py``.

Domain models import ``Base`` from here; this module imports none of them (no import circle).
``load_all_models()`` makes ``Base.metadata`` complete for whoever needs every table (alembic).
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from trickle_kit.db import new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


def load_all_models() -> None:
    """Import every domain's models so ``Base.metadata`` is complete (alembic, the app, the worker)."""
    import trickle_wallet.accounts.models
    import trickle_wallet.balances.models
    import trickle_wallet.budgets.models
    import trickle_wallet.credentials.models
    import trickle_wallet.deposits.models
    import trickle_wallet.mail.models
    import trickle_wallet.oauth.models
    import trickle_wallet.payouts.models
    import trickle_wallet.providers.models
    import trickle_wallet.refunds.models
    import trickle_wallet.sign_in.models
    import trickle_wallet.transfers.models  # noqa: F401
