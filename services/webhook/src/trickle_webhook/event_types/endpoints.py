"""HTTP API of the event-type catalogue."""

from __future__ import annotations

from fastapi import APIRouter

from trickle_kit.problems import problem_responses
from trickle_webhook.deps import WebhooksRead
from trickle_webhook.event_types.catalogue import data_schema, offered_event_types
from trickle_webhook.event_types.schemas import EventTypeInfo, EventTypeList

router = APIRouter(tags=["event types"])


@router.get("/v1/event-types", response_model=EventTypeList, responses=problem_responses(401, 403))
async def list_event_types(principal: WebhooksRead) -> EventTypeList:
    """Every event type an endpoint can subscribe to, with its description and payload schema."""
    return EventTypeList(
        data=[
            EventTypeInfo(
                name=name,
                description=model.description,
                schema_version=model.schema_version,
                topic=model.topic,
                data_schema=data_schema(model),
            )
            for name, model in offered_event_types().items()
        ]
    )
