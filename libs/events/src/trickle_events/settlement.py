"""Events of the monthly settlement (topic ``settlement``)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from trickle_events.base import Event
from trickle_events.common import Money, Period
from trickle_events.topics import SETTLEMENT


class Share(BaseModel):
    """What one clicked thing received of a patron's spend."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Share")

    thing_id: str
    click_id: str
    recipient_id: str | None
    """The creator credited, or null when the share went to the thing's escrow (unclaimed)."""
    gross: int


class _SettlementEvent(Event):
    topic: ClassVar[str] = SETTLEMENT


class PatronSettled(_SettlementEvent):
    event_type: ClassVar[str] = "settlement.patron.settled"
    description: ClassVar[str] = "A patron's budget for a period was split among their clicks (one journal entry)."
    period: Period
    patron_id: str
    entry_id: str
    spent: Money
    shares: list[Share]
    recipient_ids: list[str]

    def partition_key(self) -> str:
        return self.patron_id

    def account_ids(self) -> list[str]:
        return [self.patron_id, *self.recipient_ids]

    def subject(self) -> str:
        return f"{self.period}:{self.patron_id}"


class PeriodClosed(_SettlementEvent):
    event_type: ClassVar[str] = "settlement.period.closed"
    description: ClassVar[str] = "Every patron of a period is settled; totals of the close."
    offered_to_webhooks: ClassVar[bool] = False
    period: Period
    patrons_settled: int
    total_spent: Money
    total_commission: Money
    total_escrow: Money

    def partition_key(self) -> str:
        return self.period

    def subject(self) -> str:
        return self.period


class EscrowRefunded(_SettlementEvent):
    event_type: ClassVar[str] = "settlement.escrow.refunded"
    description: ClassVar[str] = (
        "A thing's escrow stayed unclaimed too long and went back to the patrons who paid it in."
    )
    thing_id: str
    entry_id: str
    refunds: dict[str, int]
    currency: str

    def partition_key(self) -> str:
        return self.thing_id

    def account_ids(self) -> list[str]:
        return sorted(self.refunds)

    def subject(self) -> str:
        return self.thing_id
