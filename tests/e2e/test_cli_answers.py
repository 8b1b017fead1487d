"""The CLI's exit codes hold whatever answers it gets: a stub gateway (no platform) answers what a
real one may (an HTML error page of a proxy, a page that is not the API, one service refusing a
replay another accepted) and ``trickle`` runs as a subprocess.

Exit 1 means "a check failed" (books not balanced, dead letters present): a script must never read
it for an answer the CLI could not understand, nor 0 for a replay a service did not do.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

TRICKLE = Path(sys.executable).parent / "trickle"
EVENT = "evt_0190c0ffee"

# (method, path) -> (status, content type, body); anything else: 404 problem
Answers = dict[tuple[str, str], tuple[int, str, bytes]]
TOKEN = (
    200,
    "application/json",
    json.dumps({"access_token": "t", "token_type": "Bearer", "expires_in": 300, "scope": "operator"}).encode(),
)
HTML_404 = (404, "text/html", b"<html><body><h1>404 Not Found</h1><hr>nginx</body></html>")


def problem(status: int, code: str, title: str) -> tuple[int, str, bytes]:
    body = {"type": "about:blank", "title": title, "status": status, "code": code, "detail": title}
    return status, "application/problem+json", json.dumps(body).encode()


@dataclass
class Stub:
    url: str
    answers: Answers


@pytest.fixture
def stub() -> Iterator[Stub]:
    answers: Answers = {}

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            path = self.path.split("?")[0]
            status, kind, body = answers.get((self.command, path), problem(404, "not_found", "Not found"))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    answers[("POST", "/v1/oauth/token")] = TOKEN
    try:
        yield Stub(f"http://127.0.0.1:{server.server_address[1]}", answers)
    finally:
        server.shutdown()
        server.server_close()


def trickle(stub: Stub, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRICKLE_")}
    env.update(TRICKLE_URL=stub.url, TRICKLE_CLIENT_SECRET="s", COLUMNS="200")
    return subprocess.run([str(TRICKLE), *args], env=env, capture_output=True, text=True, timeout=60, check=False)


def replayed(service: str) -> tuple[int, str, bytes]:
    body = {"event_id": EVENT, "service": service, "consumers": [f"{service}.x"], "topic": "t", "status": "replayed"}
    return 202, "application/json", json.dumps(body).encode()


def replay_path(service: str) -> tuple[str, str]:
    return ("POST", f"/v1/operations/{service}/dead-letters/{EVENT}/replay")


def test_a_proxy_html_404_is_a_refusal_exit_3_not_a_traceback(stub: Stub) -> None:
    stub.answers[("GET", "/v1/periods/2026-01")] = HTML_404
    run = trickle(stub, "period", "status", "2026-01")
    assert run.returncode == 3, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith("error:")


def test_an_answer_that_is_not_the_api_exits_4_never_1_the_failed_check(stub: Stub) -> None:
    # --url pointing at some web page: a 200 that is not the trial balance
    stub.answers[("GET", "/v1/ledger/trial-balance")] = (200, "text/html", b"<html>hello</html>")
    run = trickle(stub, "ledger", "trial-balance", "--verify")
    assert run.returncode == 4, run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(
    ("settlement", "code"),
    [
        (problem(503, "kafka_unavailable", "Kafka unavailable"), 4),
        (problem(409, "dead_letter_record_missing", "Conflict"), 3),
    ],
)
def test_a_replay_one_service_could_not_do_is_not_exit_0(
    stub: Stub, settlement: tuple[int, str, bytes], code: int
) -> None:
    stub.answers[replay_path("wallet")] = replayed("wallet")
    stub.answers[replay_path("settlement")] = settlement
    run = trickle(stub, "dlq", "replay", EVENT)
    assert run.returncode == code, (run.stdout, run.stderr)
    assert "replayed" in run.stderr and "wallet" in run.stderr  # what was done is still said


def test_a_replay_applied_elsewhere_is_still_exit_0(stub: Stub) -> None:
    stub.answers[replay_path("wallet")] = replayed("wallet")
    stub.answers[replay_path("settlement")] = problem(409, "dead_letter_not_dead", "Conflict")
    run = trickle(stub, "dlq", "replay", EVENT)
    assert run.returncode == 0, run.stderr
