"""The AsyncAPI document is generated from the event contracts and must not drift from them."""

from __future__ import annotations

from pathlib import Path

import yaml

from trickle_events import EVENT_TYPES
from trickle_events.asyncapi import build, render

DOC = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"


def test_docs_asyncapi_yaml_is_up_to_date() -> None:
    assert DOC.read_text() == render(), "docs/asyncapi.yaml is stale: run `make asyncapi`"


def test_every_event_type_is_a_message_on_its_topic_with_cloudevent_headers() -> None:
    doc = build()
    assert doc["asyncapi"].startswith("3.")
    names = {m["name"] for m in doc["components"]["messages"].values()}
    assert names == set(EVENT_TYPES)
    for event_type, model in EVENT_TYPES.items():
        channel = doc["channels"][model.topic]
        refs = [m["$ref"] for m in channel["messages"].values()]
        assert any(ref.endswith(doc_name) for ref in refs for doc_name in [event_type.title().replace(".", "")])
    assert "ce_id" in doc["components"]["schemas"]["CloudEventHeaders"]["required"]


def test_the_document_is_valid_yaml_with_resolvable_schema_refs() -> None:
    doc = yaml.safe_load(DOC.read_text())
    schemas = doc["components"]["schemas"]
    text = DOC.read_text()
    for line in text.splitlines():
        if "$ref: '#/components/schemas/" in line or '$ref: "#/components/schemas/' in line:
            name = line.split("/components/schemas/")[1].strip("'\" ")
            assert name in schemas, name
