"""The event types webhook endpoints may subscribe to, from the shared contracts."""

from __future__ import annotations

from typing import Any

from trickle_events import EVENT_TYPES, Event


def offered_event_types() -> dict[str, type[Event]]:
    """Every registered event type that is offered to webhooks, by name (sorted)."""
    return {name: model for name, model in sorted(EVENT_TYPES.items()) if model.offered_to_webhooks}


def is_offered(event_type: str) -> bool:
    model = EVENT_TYPES.get(event_type)
    return model is not None and model.offered_to_webhooks


def data_schema(model: type[Event]) -> dict[str, Any]:
    """JSON schema of the ``data`` field of a delivery of this type."""
    return model.model_json_schema(mode="serialization")
