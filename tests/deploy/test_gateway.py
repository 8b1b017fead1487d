"""The gateway's routing table (deploy/gateway/routes.conf) sends every path of every service's
OpenAPI to that service: by nginx's matching rules in Python, and through a real nginx in
front of four stub upstreams. A service that gains a top-level path without a route fails here."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from tests.deploy.deploy_model import (
    REPO,
    code_services,
    nginx_match,
    openapi_operations,
    parse_locations,
    sample_path,
    template_regex,
)

ROUTES = REPO / "deploy" / "gateway" / "routes.conf"
NOT_ROUTED = {"/healthz", "/readyz"}  # each service's own probes, on its own port only


def operations() -> Iterator[tuple[str, str, str]]:
    """(service, METHOD, path template) of every routed operation in the code."""
    for svc in code_services():
        for path, methods in openapi_operations(svc).items():
            if path not in NOT_ROUTED:
                for method in methods:
                    yield svc, method, path


def answers(svc: str, method: str, path: str, uri: str) -> bool:
    """Whether the operation would accept ``uri`` (its path parameters' patterns included)."""
    return template_regex(path, openapi_operations(svc)[path][method]).match(uri) is not None


def test_every_openapi_path_is_routed_to_its_service() -> None:
    locations = parse_locations(ROUTES.read_text())
    assert locations, "routes.conf has no location"
    wrong = []
    for svc, method, path in operations():
        uri = sample_path(path)
        loc = nginx_match(locations, uri)
        got = loc.upstream.removeprefix("trickle_") if loc and loc.upstream else None
        if got != svc:
            wrong.append(f"{method} {path} ({uri}) of {svc} -> {got or 'no upstream'}")
    assert not wrong, "routes.conf misroutes:\n" + "\n".join(wrong)


def test_routes_name_only_known_upstreams() -> None:
    upstreams = {loc.upstream for loc in parse_locations(ROUTES.read_text()) if loc.upstream}
    assert upstreams <= {f"trickle_{svc}" for svc in code_services()}, upstreams


def test_no_two_services_answer_the_same_url() -> None:
    """The gateway can send a URL to one service only: two services answering it is an API bug."""
    ops = list(operations())
    clashes = {
        frozenset({(svc, method, path), (other, other_method, other_path)})
        for svc, method, path in ops
        for other, other_method, other_path in ops
        if other != svc and other_method == method and answers(other, other_method, other_path, sample_path(path))
    }
    assert not clashes, (
        f"services answer the same URL (the gateway can route it to one only): {sorted(map(sorted, clashes))}"
    )


# ---- a real nginx ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Stub(http.server.BaseHTTPRequestHandler):
    """Answers every request with the name of the service it stands for and what it received."""

    def answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = self.server.service.encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("X-Stub-Service", self.server.service)  # type: ignore[attr-defined]
        self.send_header("X-Seen-Request-ID", self.headers.get("X-Request-ID", ""))
        self.send_header("X-Seen-Path", self.path)
        self.send_header("X-Seen-Forwarded-For", self.headers.get("X-Forwarded-For", ""))
        self.send_header("X-Seen-Real-IP", self.headers.get("X-Real-IP", ""))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if nginx is None:
        pytest.skip("nginx is not installed (apt-get install nginx); routing checked by the Python model only")
    servers = []
    upstreams = []
    for svc in code_services():
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stub)
        server.service = svc  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        upstreams.append(f"upstream trickle_{svc} {{ server 127.0.0.1:{server.server_address[1]}; }}")
    root = tmp_path_factory.mktemp("nginx")
    root.chmod(0o755)
    port = free_port()
    temp = "\n".join(f"{k}_temp_path {root}/{k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = root / "nginx.conf"
    conf.write_text(
        f"""
{"user root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    {temp}
    {chr(10).join(upstreams)}
    server {{
        listen 127.0.0.1:{port};
        include {ROUTES};
    }}
}}
"""
    )
    check = subprocess.run(
        [nginx, "-t", "-p", str(root), "-c", str(conf), "-e", str(root / "error.log")], capture_output=True, text=True
    )
    assert check.returncode == 0, f"nginx rejects routes.conf:\n{check.stderr}"
    proc = subprocess.Popen(
        [nginx, "-p", str(root), "-c", str(conf), "-e", str(root / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert proc.poll() is None, f"nginx exited: {proc.stderr.read().decode() if proc.stderr else ''}"
            assert time.monotonic() < deadline, "nginx did not listen within 10 s"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
        for server in servers:
            server.shutdown()
            server.server_close()


def call(
    base: str, method: str, path: str, headers: dict[str, str] | None = None, body: bytes | None = None
) -> tuple[int, dict[str, str], bytes]:
    data = body if body is not None else (b"{}" if method in ("POST", "PUT", "PATCH") else None)
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_nginx_sends_every_operation_to_its_service(gateway: str) -> None:
    wrong = []
    for svc, method, path in operations():
        uri = sample_path(path)
        status, headers, _ = call(gateway, method, uri)
        got = headers.get("X-Stub-Service") if status == 200 else f"status {status}"
        if got != svc:
            wrong.append(f"{method} {uri} ({svc}) -> {got}")
        elif headers.get("X-Seen-Path") != uri:
            wrong.append(f"{method} {uri} ({svc}) reached it as {headers.get('X-Seen-Path')}")
    assert not wrong, "nginx misroutes:\n" + "\n".join(wrong)


def test_nginx_passes_or_makes_a_request_id(gateway: str) -> None:
    _, headers, _ = call(gateway, "GET", "/v1/things", {"X-Request-ID": "req_from_client"})
    assert headers["X-Seen-Request-ID"] == "req_from_client"
    assert headers["X-Request-ID"] == "req_from_client"
    _, headers, _ = call(gateway, "GET", "/v1/things")
    made = headers["X-Seen-Request-ID"]
    assert len(made) == 32 and made == headers["X-Request-ID"]  # nginx's $request_id: 32 hex digits


def test_nginx_limits_bodies_and_answers_problems(gateway: str) -> None:
    status, headers, body = call(gateway, "POST", "/v1/clicks", {"Content-Type": "application/json"}, b"x" * 70_000)
    assert status == 413 and headers["Content-Type"] == "application/problem+json", body
    assert b'"code":"payload_too_large"' in body
    status, headers, body = call(gateway, "POST", "/v1/clicks", {"Content-Type": "application/json"}, b"x" * 60_000)
    assert status == 200 and headers["X-Stub-Service"] == "click_ledger"
    status, headers, body = call(gateway, "GET", "/v1/nothing-here")
    assert status == 404 and headers["Content-Type"] == "application/problem+json"
    assert b'"code":"not_found"' in body
    # A path that only starts like a routed prefix is not routed.
    status, _, _ = call(gateway, "GET", "/v1/accountsx")
    assert status == 404


def test_nginx_replaces_a_clients_forwarded_address_with_its_own_view(gateway: str) -> None:
    """The APIs believe X-Forwarded-For from the gateway: it must say who called it, not repeat the caller."""
    forged = {"X-Forwarded-For": "203.0.113.66", "X-Real-IP": "203.0.113.66"}
    status, headers, _ = call(gateway, "GET", "/v1/things", forged)
    assert status == 200
    assert headers["X-Seen-Forwarded-For"] == "127.0.0.1"
    assert headers["X-Seen-Real-IP"] == "127.0.0.1"


def test_a_request_id_that_could_break_the_json_is_replaced(gateway: str) -> None:
    status, headers, body = call(gateway, "GET", "/v1/nothing-here", {"X-Request-ID": 'x","code":"evil'})
    assert status == 404
    problem = json.loads(body)
    assert problem["code"] == "not_found" and problem["request_id"] == headers["X-Request-ID"] != 'x","code":"evil'


# ---- the gateway's own errors, through the real local gateway (deploy/local/gateway.sh) -----

GATEWAY_SH = REPO / "deploy" / "local" / "gateway.sh"


@pytest.fixture(scope="module")
def local_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """deploy/local/gateway.sh on free ports, with no service behind it (every one is down)."""
    if shutil.which("nginx") is None and not os.path.exists("/usr/sbin/nginx"):
        pytest.skip("nginx is not installed (apt-get install nginx)")
    root = tmp_path_factory.mktemp("local-gateway")
    root.chmod(0o755)
    env = dict(os.environ) | {
        "TRICKLE_GATEWAY_DIR": str(root / "gateway"),
        "TRICKLE_GATEWAY_PORT": str(free_port()),
        "TRICKLE_WALLET_PORT": str(free_port()),
        "TRICKLE_CLICK_LEDGER_PORT": str(free_port()),
        "TRICKLE_SETTLEMENT_PORT": str(free_port()),
        "TRICKLE_WEBHOOK_PORT": str(free_port()),
    }
    up = subprocess.run(["bash", str(GATEWAY_SH), "up"], env=env, capture_output=True, text=True, timeout=180)
    assert up.returncode == 0, up.stdout + up.stderr
    try:
        yield f"127.0.0.1:{env['TRICKLE_GATEWAY_PORT']}"
    finally:
        subprocess.run(["bash", str(GATEWAY_SH), "down"], env=env, capture_output=True, text=True, timeout=60)


def raw(address: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send ``request`` as is (no client library tidying it) and read the whole answer."""
    host, port = address.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    if headers.get("transfer-encoding") == "chunked":
        body = dechunk(body)
    return int(lines[0].split()[1]), headers, body


def dechunk(body: bytes) -> bytes:
    out = b""
    while body:
        size, _, rest = body.partition(b"\r\n")
        n = int(size, 16)
        if n == 0:
            break
        out, body = out + rest[:n], rest[n + 2 :]
    return out


GATEWAY_ERRORS = {
    # name: (request, status, code)
    "NUL in the path": (b"GET /v1/things/%00 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", 400, "bad_request"),
    "malformed request line": (b"GET /v1/things HTTP/1.1 junk\r\nHost: t\r\n\r\n", 400, "bad_request"),
    "URI too long": (
        b"GET /v1/things?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
        414,
        "uri_too_long",
    ),
    "header too large": (
        b"GET /v1/things HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 9000 + b"\r\nConnection: close\r\n\r\n",
        431,
        "request_headers_too_large",
    ),
    "body too large": (
        b"POST /v1/clicks HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 70000\r\n"
        b"Connection: close\r\n\r\n" + b"x" * 70000,
        413,
        "payload_too_large",
    ),
    "service down": (b"GET /v1/things HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", 503, "service_unavailable"),
    "no such path": (b"GET /v1/nothing HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", 404, "not_found"),
}


@pytest.mark.parametrize("case", list(GATEWAY_ERRORS))
def test_the_gateways_own_errors_are_problems_with_a_stable_code(local_gateway: str, case: str) -> None:
    request, status, code = GATEWAY_ERRORS[case]
    got, headers, body = raw(local_gateway, request)
    assert got == status, (case, got, body[:300])
    assert headers.get("content-type") == "application/problem+json", (case, headers)
    problem = json.loads(body)
    assert problem["status"] == status and problem["code"] == code, problem
    assert problem["request_id"] and problem["request_id"] == headers.get("x-request-id"), (problem, headers)


def test_every_error_nginx_makes_itself_has_a_problem_page() -> None:
    """Including the 504 of a service slower than proxy_read_timeout (60 s: not provoked here)."""
    conf = ROUTES.read_text()
    pages = {
        int(code): target
        for codes, target in re.findall(r"^error_page\s+([\d\s]+?)\s+(?:=\d+\s+)?(\S+);", conf, re.M)
        for code in codes.split()
    }
    assert set(pages) >= {400, 413, 414, 494, 500, 502, 503, 504}, pages
    for target in set(pages.values()):
        block = conf[conf.index(f"location = {target} {{") :]
        block = block[: block.index("\n}")]
        assert "internal;" in block and "default_type application/problem+json;" in block, target
        assert re.search(r'return \d{3} \'\{.*"code":"[a-z_]+".*\}\';', block), target


def test_nginx_sends_every_path_outside_the_apis_to_the_web_front_end(gateway: str) -> None:
    pages = ("/", "/sign-in", "/static/trickle.css", "/oauth/authorize?client_id=app", "/click?url=https%3A%2F%2Fa.b")
    for path in pages:
        status, headers, _ = call(gateway, "GET", path)
        assert (status, headers.get("X-Stub-Service")) == (200, "web"), path
    # An API path no service answers stays the gateway's own problem, never a page.
    status, headers, _ = call(gateway, "GET", "/v1/nothing-here")
    assert status == 404 and headers["Content-Type"] == "application/problem+json"
