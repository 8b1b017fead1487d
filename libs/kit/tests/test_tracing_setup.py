"""A process traces only when told where to send spans: OTLP to OTEL_EXPORTER_OTLP_ENDPOINT, nothing otherwise.

Each case runs a small app built by ``create_app`` in a fresh process (tracing is set up once per process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.trace.v1.trace_pb2 import Span

APP = """
import asyncio, json, sys
import httpx
from fastapi import APIRouter
from trickle_kit import tracing
from trickle_kit.app import create_app
from trickle_kit.settings import KitSettings

router = APIRouter()

@router.get("/v1/ping")
async def ping() -> dict[str, bool]:
    return {"ok": True}

app = create_app(KitSettings(service_name="wallet", log_json=True), title="ping", routers=[router])

async def main() -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ping.test") as client:
        assert (await client.get("/v1/ping")).status_code == 200

asyncio.run(main())
loaded = [m for m in ("opentelemetry.sdk.trace", "opentelemetry.instrumentation.fastapi") if m in sys.modules]
print(json.dumps({"enabled": tracing.enabled(), "loaded": loaded}))
"""


def _run(env: dict[str, str]) -> tuple[dict[str, object], list[dict[str, object]]]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "TRICKLE_"))}
    done = subprocess.run(
        [sys.executable, "-c", APP], env={**base, **env}, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    logs = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    return json.loads(done.stdout.strip().splitlines()[-1]), logs


@contextmanager
def otlp_receiver() -> Iterator[tuple[str, list[ExportTraceServiceRequest]]]:
    """An OTLP/HTTP trace endpoint (protobuf) that keeps what it receives."""
    received: list[ExportTraceServiceRequest] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.path == "/v1/traces":
                received.append(ExportTraceServiceRequest.FromString(body))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


def test_without_an_otlp_endpoint_nothing_is_installed_and_log_lines_have_no_trace_id() -> None:
    state, logs = _run({})
    assert state == {"enabled": False, "loaded": []}
    requests = [line for line in logs if line.get("event") == "request"]
    assert requests and all("trace_id" not in line for line in requests)


def test_with_an_otlp_endpoint_request_spans_are_exported_under_the_service_name_and_logged_with_their_trace() -> None:
    with otlp_receiver() as (endpoint, received):
        state, logs = _run({"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint})  # the process flushes its spans at exit
    assert state["enabled"] is True
    spans = [
        (resource_spans.resource, span)
        for request in received
        for resource_spans in request.resource_spans
        for scope_spans in resource_spans.scope_spans
        for span in scope_spans.spans
    ]
    served = [(resource, span) for resource, span in spans if span.name == "GET /v1/ping"]
    assert len(served) == 1, [span.name for _, span in spans]
    resource, span = served[0]
    assert span.kind == Span.SPAN_KIND_SERVER
    names = {attr.key: attr.value.string_value for attr in resource.attributes}
    assert names["service.name"] == "wallet"
    (logged,) = [line for line in logs if line.get("event") == "request" and line.get("path") == "/v1/ping"]
    assert logged["trace_id"] == span.trace_id.hex()
    assert logged["span_id"] == span.span_id.hex()
