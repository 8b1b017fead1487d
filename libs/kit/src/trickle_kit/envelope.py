"""CloudEvents 1.0 in Kafka binary mode: attributes in ``ce_*`` headers, JSON payload as the value."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

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
        hdrs = [
            ("ce_specversion", SPECVERSION),
            ("ce_id", self.id),
            ("ce_type", self.type),
            ("ce_source", self.source),
            ("ce_time", self.time.isoformat()),
            ("ce_schemaversion", str(self.schema_version)),
            ("content-type", CONTENT_TYPE),
        ]
        if self.subject:
            hdrs.append(("ce_subject", self.subject))
        if self.traceparent:
            hdrs.append(("ce_traceparent", self.traceparent))
            if self.tracestate:
                hdrs.append(("ce_tracestate", self.tracestate))
        return [(k, v.encode()) for k, v in hdrs]

    def value(self) -> bytes:
        return json.dumps(self.data, separators=(",", ":"), sort_keys=True).encode()


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
        data = json.loads(value)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
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
