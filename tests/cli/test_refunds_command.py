"""``trickle refunds list``: the operator's token from client credentials, then ``GET /v1/refunds``
(the operator sees every account's) with the filters asked, printed as a table or JSON.

A small HTTP server on 127.0.0.1 answers as the gateway does (the token endpoint, the list);
the whole platform's CLI run is tests/e2e/test_cli.py (this one needs no platform)."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from trickle_cli import output
from trickle_cli.main import app
from typer.testing import CliRunner

REFUND = {
    "id": "ref_0190aa",
    "account_id": "acct_0190a1b2c3d4",
    "amount": {"amount": 1234, "currency": "EUR"},
    "provider": "sandbox",
    "status": "paid",
    "created_at": "2026-12-03T06:00:00Z",
    "updated_at": "2026-12-03T06:01:00Z",
}


class Gateway(http.server.ThreadingHTTPServer):
    asked: list[tuple[str, str, dict[str, list[str]]]]


class Handler(http.server.BaseHTTPRequestHandler):
    server: Gateway

    def log_message(self, format: str, *args: Any) -> None:
        return

    def answer(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.asked.append(("POST", self.path, {}))
        self.answer(200, {"access_token": "op-token", "token_type": "Bearer", "expires_in": 900, "scope": "operator"})

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.server.asked.append(("GET", parts.path, parse_qs(parts.query) | {"auth": [self.headers["Authorization"]]}))
        if parts.path != "/v1/refunds":
            self.answer(404, {"title": "Not found", "status": 404, "code": "not_found"})
            return
        self.answer(200, {"data": [REFUND], "has_more": True, "next_starting_after": "ref_0190aa"})


@pytest.fixture(autouse=True)
def wide_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """The table unwrapped: the CLI's console took its width (COLUMNS, else 80) when it was imported."""
    monkeypatch.setattr(output.out, "width", 200)


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    server = Gateway(("127.0.0.1", 0), Handler)
    server.asked = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def run(gateway: Gateway, *args: str) -> Any:
    url = f"http://127.0.0.1:{gateway.server_address[1]}"
    args_ = ["--url", url, "--client-secret", "s3cret", "refunds", "list", *args]
    return CliRunner().invoke(app, args_)


def test_refunds_list_shows_every_accounts_refunds(gateway: Gateway) -> None:
    result = run(gateway, "--status", "paid", "--limit", "5")
    assert result.exit_code == 0, result.output
    assert "ref_0190aa" in result.output and "acct_0190a1b2c3d4" in result.output and "12.34" in result.output
    assert "--starting-after ref_0190aa" in result.output
    method, path, query = gateway.asked[-1]
    assert (method, path) == ("GET", "/v1/refunds")
    assert query == {"status": ["paid"], "limit": ["5"], "auth": ["Bearer op-token"]}


def test_refunds_list_as_json(gateway: Gateway) -> None:
    result = run(gateway, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["data"][0]["id"] == "ref_0190aa"


def test_an_unknown_status_is_refused_before_asking(gateway: Gateway) -> None:
    result = run(gateway, "--status", "lost")
    assert result.exit_code == 2
    assert [a for a in gateway.asked if a[1] == "/v1/refunds"] == []
