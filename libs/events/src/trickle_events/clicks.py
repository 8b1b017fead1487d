"""Events the click-ledger service publishes (topic ``clicks``; clicks keyed by patron)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import Field

from trickle_events.base import Event
from trickle_events.common import Period
from trickle_events.topics import CLICKS


class _ClicksEvent(Event):
    topic: ClassVar[str] = CLICKS


class ClickRegistered(_ClicksEvent):
    event_type: ClassVar[str] = "clicks.click.registered"
    description: ClassVar[str] = "A patron clicked a thing in a period (``owner_id`` null: the thing is unclaimed)."
    click_id: str
    patron_id: str
    thing_id: str
    owner_id: str | None
    weight: int = Field(ge=1, le=100)
    period: Period
    clicked_at: datetime
    public: bool = False
    subscription_id: str | None = None

    def partition_key(self) -> str:
        return self.patron_id

    def account_ids(self) -> list[str]:
        return [self.patron_id] + ([self.owner_id] if self.owner_id else [])

    def subject(self) -> str:
        return self.click_id


class ClickRevoked(_ClicksEvent):
    event_type: ClassVar[str] = "clicks.click.revoked"
    description: ClassVar[str] = "A patron revoked a click before its period was sealed."
    click_id: str
    patron_id: str
    thing_id: str
    owner_id: str | None
    period: Period
    revoked_at: datetime

    def partition_key(self) -> str:
        return self.patron_id

    def account_ids(self) -> list[str]:
        return [self.patron_id] + ([self.owner_id] if self.owner_id else [])

    def subject(self) -> str:
        return self.click_id


class ThingState(_ClicksEvent):
    thing_id: str
    owner_id: str | None
    url: str
    title: str | None = None
    category: str | None = None
    weight: int = Field(ge=1, le=100)

    def partition_key(self) -> str:
        return self.thing_id

    def account_ids(self) -> list[str]:
        return [self.owner_id] if self.owner_id else []

    def subject(self) -> str:
        return self.thing_id


class ThingRegistered(ThingState):
    event_type: ClassVar[str] = "clicks.thing.registered"
    description: ClassVar[str] = (
        "A thing was registered by its owner, or created unclaimed by a click on an unknown URL."
    )


class ThingUpdated(ThingState):
    event_type: ClassVar[str] = "clicks.thing.updated"
    description: ClassVar[str] = "A thing's title, category or weight changed."


class ThingClaimed(_ClicksEvent):
    event_type: ClassVar[str] = "clicks.thing.claimed"
    description: ClassVar[str] = "An unclaimed thing became an account's after it proved control of the domain."
    thing_id: str
    owner_id: str
    domain: str
    claimed_at: datetime

    def partition_key(self) -> str:
        return self.thing_id

    def account_ids(self) -> list[str]:
        return [self.owner_id]

    def subject(self) -> str:
        return self.thing_id


class PeriodOpened(_ClicksEvent):
    event_type: ClassVar[str] = "clicks.period.opened"
    description: ClassVar[str] = "A period opened; new clicks go there."
    offered_to_webhooks: ClassVar[bool] = False
    period: Period
    opened_at: datetime

    def partition_key(self) -> str:
        return self.period


class PeriodSealed(_ClicksEvent):
    """Seal marker: published once on every partition of the click topic, after the period's last click there."""

    event_type: ClassVar[str] = "clicks.period.sealed"
    description: ClassVar[str] = (
        "Seal marker of a period, one per partition of the click topic, after the last click of the "
        "period on that partition; ``click_count`` is that partition's net click records for the period."
    )
    offered_to_webhooks: ClassVar[bool] = False
    period: Period
    partition: int = Field(ge=0)
    partitions: int = Field(ge=1)
    click_count: int = Field(ge=0, description="clicks.click.registered records of the period on this partition")
    revoked_count: int = Field(
        ge=0, default=0, description="clicks.click.revoked records of the period on this partition"
    )
    sealed_at: datetime

    def partition_key(self) -> None:
        return None

    def subject(self) -> str:
        return self.period
