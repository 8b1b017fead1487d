"""AsyncAPI 3.0 document generated from the event contracts (``make asyncapi``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml
from pydantic.json_schema import models_json_schema

from trickle_events import EVENT_TYPES
from trickle_events.topics import ALL_TOPICS, DESCRIPTIONS


def _message_name(event_type: str) -> str:
    return "".join(part.capitalize() for part in event_type.replace("_", ".").split("."))


def build() -> dict[str, Any]:
    """The whole document as a dict (deterministic order)."""
    types = sorted(EVENT_TYPES.items())
    _, top = models_json_schema(
        [(model, "validation") for _, model in types], ref_template="#/components/schemas/{model}"
    )
    schemas: dict[str, Any] = dict(sorted(top.get("$defs", {}).items()))
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    headers = {
        "type": "object",
        "required": ["ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time", "content-type"],
        "properties": {
            "ce_specversion": {"type": "string", "const": "1.0"},
            "ce_id": {"type": "string", "description": "Event id (evt_…); consumers deduplicate on it"},
            "ce_type": {"type": "string"},
            "ce_source": {"type": "string", "description": "The publishing service"},
            "ce_time": {"type": "string", "format": "date-time"},
            "ce_subject": {"type": "string"},
            "ce_schemaversion": {"type": "string", "description": "Payload schema version"},
            "ce_traceparent": {
                "type": "string",
                "description": "CloudEvents distributed-tracing extension: the W3C traceparent of the transaction "
                "that staged the event (absent when the producer does not trace)",
            },
            "ce_tracestate": {
                "type": "string",
                "description": "CloudEvents distributed-tracing extension: the W3C tracestate, when there is one",
            },
            "content-type": {"type": "string", "const": "application/json"},
        },
    }
    for topic in ALL_TOPICS:
        channels[topic] = {"address": topic, "description": DESCRIPTIONS[topic], "messages": {}}
    for event_type, model in types:
        name = _message_name(event_type)
        messages[name] = {
            "name": event_type,
            "title": event_type,
            "summary": model.description,
            "contentType": "application/json",
            "headers": {"$ref": "#/components/schemas/CloudEventHeaders"},
            "payload": {"$ref": f"#/components/schemas/{model.__name__}"},
            "x-schema-version": model.schema_version,
            "x-webhooks": model.offered_to_webhooks,
        }
        channels[model.topic]["messages"][name] = {"$ref": f"#/components/messages/{name}"}
    schemas["CloudEventHeaders"] = headers
    for topic in ALL_TOPICS:
        refs = [{"$ref": f"#/channels/{topic}/messages/{m}"} for m in channels[topic]["messages"]]
        operations[f"publish_{topic}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{topic}"},
            "messages": refs,
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Trickle events",
            "version": "1.0.0",
            "description": "CloudEvents 1.0 in Kafka binary mode: attributes in ce_* headers, JSON payload "
            "as the value. "
            "Dead letters go to <topic>.dlq with dlq_reason headers.",
        },
        "defaultContentType": "application/json",
        "servers": {"local": {"host": "127.0.0.1:59092", "protocol": "kafka"}},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def render() -> str:
    return yaml.safe_dump(build(), sort_keys=False, allow_unicode=True, width=120)


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/asyncapi.yaml")
    target.write_text(render())
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
