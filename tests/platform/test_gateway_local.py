"""deploy/local/gateway.sh: idempotent up, status and down; the rendered nginx proxies to the ports it is given."""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "local" / "gateway.sh"


class Wallet(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"stub": "wallet"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Seen-Request-ID", self.headers.get("X-Request-ID", ""))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    stub = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Wallet)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    tmp_path.chmod(0o755)  # nginx's workers drop root and must reach their temp directories
    values = dict(os.environ)
    values |= {
        "TRICKLE_GATEWAY_DIR": str(tmp_path / "gateway"),
        "TRICKLE_GATEWAY_PORT": str(free_port()),
        "TRICKLE_WALLET_PORT": str(stub.server_address[1]),
        "TRICKLE_CLICK_LEDGER_PORT": str(free_port()),
        "TRICKLE_SETTLEMENT_PORT": str(free_port()),
        "TRICKLE_WEBHOOK_PORT": str(free_port()),
    }
    try:
        yield values
    finally:
        gateway(values, "down")
        stub.shutdown()
        stub.server_close()


def gateway(env: dict[str, str], command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=180)


def get(env: dict[str, str], path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{env['TRICKLE_GATEWAY_PORT']}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_up_proxies_by_path_then_down_stops_it_and_both_are_idempotent(env: dict[str, str]) -> None:
    assert gateway(env, "status").returncode == 1
    started = gateway(env, "up")
    assert started.returncode == 0, started.stdout + started.stderr
    pid = (Path(env["TRICKLE_GATEWAY_DIR"]) / "nginx.pid").read_text().strip()
    again = gateway(env, "up")
    assert again.returncode == 0 and f"running (pid {pid})" in again.stdout
    assert gateway(env, "status").returncode == 0

    status, headers, body = get(env, "/v1/accounts/acct_1", {"X-Request-ID": "req_test_1"})
    assert (status, body) == (200, b'{"stub": "wallet"}')
    assert headers["X-Seen-Request-ID"] == "req_test_1"
    assert headers["X-Request-ID"] == "req_test_1"
    status, headers, _ = get(env, "/v1/nothing-here")
    assert status == 404 and headers["Content-Type"] == "application/problem+json"

    conf = (Path(env["TRICKLE_GATEWAY_DIR"]) / "nginx.conf").read_text()
    assert f"include {ROOT}/deploy/gateway/routes.conf;" in conf
    assert f"listen 127.0.0.1:{env['TRICKLE_GATEWAY_PORT']};" in conf

    stopped = gateway(env, "down")
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    assert not Path(f"/proc/{pid}").exists()
    assert gateway(env, "down").returncode == 0
    assert gateway(env, "status").returncode == 1
