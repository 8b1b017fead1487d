"""Operational events of the webhook service (topic ``webhook``)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from trickle_events.base import Event
from trickle_events.topics import WEBHOOK


class EndpointDisabled(Event):
    topic: ClassVar[str] = WEBHOOK
    event_type: ClassVar[str] = "webhook.endpoint.disabled"
    description: ClassVar[str] = "An endpoint was disabled (410 Gone, or failing continuously past the window)."
    endpoint_id: str
    account_id: str | None
    reason: str
    disabled_at: datetime

    def account_ids(self) -> list[str]:
        return [self.account_id] if self.account_id else []

    def subject(self) -> str:
        return self.endpoint_id
