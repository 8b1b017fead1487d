"""CloudEvents 1.0 in Kafka binary mode: attributes in ``ce_*`` headers, JSON payload as the value."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

from pydantic_core import from_json

SPECVERSION = "1.0"
CONTENT_TYPE = "application/json"


class Publishable(Protocol):
    """What the outbox needs of an event model (see trickle_events.base.Event)."""

    event_type: ClassVar[str]
    topic: ClassVar[str]
    schema_version: ClassVar[int]

    def partition_key(self) -> str | None: ...

    def subject(self) -> str | None: ...

    def model_dump(self, *, mode: str = ...) -> dict[str, Any]: ...


class EncodedPayload:
    """Base of events whose JSON payload text is built ahead (bulk writers' staged events): the outbox
    writes ``payload_json`` as it is instead of encoding ``model_dump(mode="json")`` again."""

    __slots__ = ("payload_json",)

    def __init__(self, payload_json: str) -> None:
        self.payload_json = payload_json


def payload_text(event: Publishable, dumps: Callable[[Any], str]) -> str:
    """The JSON text of ``event``'s payload: as built ahead, or ``dumps`` of its JSON-mode dump."""
    if isinstance(event, EncodedPayload):
        return event.payload_json
    return dumps(event.model_dump(mode="json"))


class EnvelopeError(ValueError):
    """A Kafka message that is not a valid Trickle CloudEvent."""


@dataclass(frozen=True)
class Envelope:
    """One CloudEvent as it travels on Kafka."""

    id: str
    type: str
    source: str
    time: datetime
    data: dict[str, Any]
    subject: str | None = None
    schema_version: int = 1
    # The CloudEvents distributed-tracing extension (W3C trace context; trickle_kit.tracing).
    traceparent: str | None = None
    tracestate: str | None = None

    def headers(self) -> list[tuple[str, bytes]]:
        return ce_headers(
            self.id,
            self.type,
            self.source,
            self.time,
            self.subject,
            self.schema_version,
            self.traceparent,
            self.tracestate,
        )

    def value(self) -> bytes:
        return json.dumps(self.data, separators=(",", ":"), sort_keys=True).encode()


_SPECVERSION_HEADER = ("ce_specversion", SPECVERSION.encode())
_CONTENT_TYPE_HEADER = ("content-type", CONTENT_TYPE.encode())


def ce_headers(
    id: str,
    type: str,
    source: str,
    time: datetime,
    subject: str | None,
    schema_version: int,
    traceparent: str | None,
    tracestate: str | None,
) -> list[tuple[str, bytes]]:
    """A CloudEvent's Kafka headers (the relay builds them per outbox row without an ``Envelope``)."""
    hdrs = [
        _SPECVERSION_HEADER,
        ("ce_id", id.encode()),
        ("ce_type", type.encode()),
        ("ce_source", source.encode()),
        ("ce_time", time.isoformat().encode()),
        ("ce_schemaversion", str(schema_version).encode()),
        _CONTENT_TYPE_HEADER,
    ]
    if subject:
        hdrs.append(("ce_subject", subject.encode()))
    if traceparent:
        hdrs.append(("ce_traceparent", traceparent.encode()))
        if tracestate:
            hdrs.append(("ce_tracestate", tracestate.encode()))
    return hdrs


def decode(headers: list[tuple[str, bytes]] | tuple[tuple[str, bytes], ...], value: bytes | None) -> Envelope:
    """Parse a Kafka record into an Envelope, or raise EnvelopeError saying what is wrong."""
    try:
        h = {k: v.decode() for k, v in headers}
    except UnicodeDecodeError as exc:
        raise EnvelopeError(f"header is not UTF-8: {exc}") from exc
    if h.get("ce_specversion") != SPECVERSION:
        raise EnvelopeError(f"ce_specversion must be {SPECVERSION}, got {h.get('ce_specversion')!r}")
    for required in ("ce_id", "ce_type", "ce_source", "ce_time"):
        if not h.get(required):
            raise EnvelopeError(f"missing header {required}")
    if h.get("content-type", CONTENT_TYPE) != CONTENT_TYPE:
        raise EnvelopeError(f"unsupported content-type {h.get('content-type')!r}")
    try:
        when = datetime.fromisoformat(h["ce_time"])
    except ValueError as exc:
        raise EnvelopeError(f"ce_time is not ISO 8601: {h['ce_time']!r}") from exc
    if value is None:
        raise EnvelopeError("empty value")
    try:
        data = from_json(value)  # pydantic-core's parser: a fifth of json.loads' time per event
    except ValueError as exc:
        raise EnvelopeError(f"value is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise EnvelopeError("value must be a JSON object")
    try:
        version = int(h.get("ce_schemaversion", "1"))
    except ValueError as exc:
        raise EnvelopeError("ce_schemaversion is not an integer") from exc
    return Envelope(
        id=h["ce_id"],
        type=h["ce_type"],
        source=h["ce_source"],
        time=when,
        data=data,
        subject=h.get("ce_subject"),
        schema_version=version,
        traceparent=h.get("ce_traceparent"),
        tracestate=h.get("ce_tracestate"),
    )


def utcnow() -> datetime:
    return datetime.now(UTC)
