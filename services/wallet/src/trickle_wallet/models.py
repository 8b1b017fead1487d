"""SQLAlchemy tables of the wallet service.

``Base`` is shared by every domain; each domain keeps its tables in its own ``models.py``,
imported at the bottom so that alembic (which loads ``Base.metadata`` from here) sees them all.
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from trickle_kit.db import new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


# Domain tables register themselves on Base.metadata when imported.
import trickle_wallet.accounts.models  # noqa: E402
import trickle_wallet.balances.models  # noqa: E402
import trickle_wallet.budgets.models  # noqa: E402
import trickle_wallet.credentials.models  # noqa: E402
import trickle_wallet.deposits.models  # noqa: E402
import trickle_wallet.payouts.models  # noqa: E402
import trickle_wallet.providers.models  # noqa: E402
import trickle_wallet.transfers.models  # noqa: E402, F401
