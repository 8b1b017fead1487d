"""A stand-in event for the kit's own tests (the kit does not depend on the event contracts)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel

from trickle_kit.money import Money


class Reserved(BaseModel):
    """Shaped like ``ledger.payout.reserved``: keyed by its account, about its payout."""

    event_type: ClassVar[str] = "ledger.payout.reserved"
    topic: ClassVar[str] = "ledger"
    schema_version: ClassVar[int] = 1
    payout_id: str
    account_id: str
    amount: Money

    def partition_key(self) -> str:
        return self.account_id

    def subject(self) -> str:
        return self.payout_id


def reserved(account_id: str, n: int) -> Reserved:
    """Payout ``po_<n>`` of ``n`` cents on ``account_id``."""
    return Reserved(payout_id=f"po_{n}", account_id=account_id, amount=Money(amount=n, currency="EUR"))
