"""The event-type catalogue."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class EventTypeInfo(BaseModel):
    name: str = Field(examples=["clicks.click.registered"])
    description: str
    schema_version: int
    topic: str = Field(description="The Kafka topic it travels on inside the platform")
    data_schema: dict[str, Any] = Field(description="JSON schema of the delivery's data field")


class EventTypeList(BaseModel):
    data: list[EventTypeInfo]
