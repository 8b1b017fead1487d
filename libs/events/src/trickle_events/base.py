"""The base of every event contract, and the registry that collects them."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

EVENT_TYPES: dict[str, type[Event]] = {}


class Event(BaseModel):
    """An event payload. Subclasses set ``event_type`` and ``topic`` and are registered by type.

    ``partition_key`` orders events on Kafka (all events of one account are ordered);
    ``account_ids`` names the accounts an event concerns (webhook routing).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_type: ClassVar[str]
    topic: ClassVar[str]
    schema_version: ClassVar[int] = 1
    description: ClassVar[str] = ""
    # Operational events (seal markers, …) are not offered to webhook endpoints.
    offered_to_webhooks: ClassVar[bool] = True

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        event_type = cls.__dict__.get("event_type")
        if event_type:
            if event_type in EVENT_TYPES:
                raise TypeError(f"duplicate event type {event_type}")
            EVENT_TYPES[event_type] = cls

    def partition_key(self) -> str | None:
        ids = self.account_ids()
        return ids[0] if ids else None

    def subject(self) -> str | None:
        return None

    def account_ids(self) -> list[str]:
        return []
