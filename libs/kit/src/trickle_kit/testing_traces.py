"""Test support for traces: the kit's spans into an in-memory exporter for a block (``collecting_spans``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from trickle_kit import tracing


@dataclass
class Spans:
    """The spans finished while the block of ``collecting_spans`` ran."""

    exporter: InMemorySpanExporter
    provider: TracerProvider

    def all(self) -> Sequence[ReadableSpan]:
        return self.exporter.get_finished_spans()

    def named(self, name: str) -> list[ReadableSpan]:
        return [s for s in self.all() if s.name == name]

    def in_trace(self, trace_id: int) -> list[ReadableSpan]:
        return [s for s in self.all() if s.context is not None and s.context.trace_id == trace_id]


@contextmanager
def collecting_spans(service_name: str = "trickle-tests") -> Iterator[Spans]:
    """The kit's spans go to an in-memory exporter for the block (each exported as it ends).

    Apps built inside the block get their server spans; consumers, relays and outboxes trace
    while it lasts. Outside it, the process is as it was (tracing off, unless configured).
    """
    exporter = InMemorySpanExporter()
    provider = tracing.new_provider(service_name)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with tracing.provider_in_use(provider):
        yield Spans(exporter, provider)
    provider.shutdown()
