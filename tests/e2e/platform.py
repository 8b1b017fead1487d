"""The whole Trickle platform as real processes, for one end-to-end test session.

``Platform.start()`` gives every service a fresh database (migrated with alembic), the run a
unique Kafka topic prefix (topics created up front), and starts each API under uvicorn on a
free loop-back port, each worker (``python -m trickle_<svc>.worker``) and the nginx gateway
(``deploy/local/gateway.sh run``) on a free port in front of them. The web front end
(``trickle_web``, routed by the gateway at ``/``) starts with them once its package has an app,
and so does a mail catcher (``python -m trickle_kit.mail_catcher``) that the wallet's SMTP
settings point at: every message lands as an .eml file in ``var/e2e/<run>/mail/``
(``Platform.mailbox``). Every process is configured
only through the environment variables its Settings read, and runs in its own process group
with its output in ``var/e2e/<run>/<name>.log``. ``stop()`` terminates the groups and drops the
databases and topics.

Readiness is polled (each API's ``/readyz``, the gateway's ``/healthz``), never slept for; a
process that exits while the platform starts fails the start with the tail of its log.

``LocalHttpServer`` is a real HTTP server on 127.0.0.1: it serves the routes a test sets (a
creator's site with its ``/.well-known/trickle-verification`` file) and records every POST (a
webhook receiver).
"""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from tests.e2e.mailbox import Mailbox

REPO = Path(__file__).resolve().parents[2]
PYTHON = Path(sys.executable)
UVICORN = PYTHON.parent / "uvicorn"
SERVICES = ("wallet", "click_ledger", "settlement", "webhook")
WEB = "web"  # the front end: no topics of its own, started when its package has an app
LOOPBACK = "127.0.0.1"

T = TypeVar("T")


class PlatformError(RuntimeError):
    """The platform could not start (the message names the process and carries its log tail)."""


# ---------------------------------------------------------------- helpers


def free_ports(n: int) -> list[int]:
    """``n`` distinct ports nothing listens on now (held together while picked, so all differ)."""
    socks: list[socket.socket] = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind((LOOPBACK, 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def http_status(url: str, timeout_s: float = 2.0) -> tuple[int | None, str]:
    """(status or None, short body or error) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as r:
            return r.status, r.read(300).decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read(300).decode("utf-8", "replace")
    except (OSError, ValueError) as e:
        return None, f"{type(e).__name__}: {getattr(e, 'reason', e)}"


def tcp_status(host: str, port: int, timeout_s: float = 2.0) -> tuple[int | None, str]:
    """(200, "open") when something accepts connections on host:port (a readiness probe for non-HTTP servers)."""
    try:
        socket.create_connection((host, port), timeout=timeout_s).close()
    except OSError as e:
        return None, f"{type(e).__name__}: {e}"
    return 200, "open"


def has_module(name: str) -> bool:
    """Whether ``name`` can be imported here (a package or module others are still building may not exist yet)."""
    try:
        return find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return f"(no log at {path})"
    text = path.read_text("utf-8", "replace").splitlines()
    return "\n".join(text[-lines:]) or "(empty)"


def eventually(
    what: str,
    probe: Callable[[], T],
    ok: Callable[[T], bool],
    *,
    timeout_s: float = 90.0,
    interval_s: float = 0.2,
    platform: Platform | None = None,
) -> T:
    """Poll ``probe()`` until ``ok(value)``; returns the value.

    On time-out fails with ``what`` was expected, the last value observed, and (given the
    platform) which of its processes died, so a failure says what went wrong where.
    """
    deadline = time.monotonic() + timeout_s
    last: Any = "(never observed)"
    while True:
        try:
            last = probe()
            if ok(last):
                return last
        except Exception as exc:  # an error answer (404 before an event arrived...) is an observation too
            last = f"{type(exc).__name__}: {exc}"
        if time.monotonic() > deadline:
            dead = platform.dead_processes() if platform else []
            extra = f"\nprocesses that exited: {dead}" if dead else ""
            raise AssertionError(f"expected {what} within {timeout_s:.0f} s; last observed: {last!r}{extra}")
        time.sleep(interval_s)


# ---------------------------------------------------------------- local HTTP servers


@dataclass
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: bytes
    received_at: float


class LocalHttpServer:
    """A threaded HTTP server on 127.0.0.1: GET answers ``routes[path]``; POST is recorded and answered 204."""

    def __init__(self, host: str = LOOPBACK, port: int = 0) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.received: list[ReceivedRequest] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                with outer.lock:
                    route = outer.routes.get(path)
                if route is None:
                    self._answer(404, {"Content-Type": "text/plain"}, b"not here\n")
                else:
                    self._answer(*route)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with outer.lock:
                    outer.received.append(
                        ReceivedRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, body, time.time())
                    )
                self._answer(204, {}, b"")

        self.server = http.server.ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.host, self.port = host, self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, name=f"http-{self.port}", daemon=True)

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> LocalHttpServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def requests_to(self, path: str) -> list[ReceivedRequest]:
        with self.lock:
            return [r for r in self.received if r.path == path]


# ---------------------------------------------------------------- processes


@dataclass
class Process:
    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    cwd: Path = REPO
    popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.popen = subprocess.Popen(
                self.argv,
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped as a whole
            )

    def exit_code(self) -> int | None:
        return None if self.popen is None else self.popen.poll()

    def signal_group(self, sig: signal.Signals) -> None:
        if self.popen is not None and self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.popen.pid, sig)


@dataclass
class ServiceInstance:
    name: str  # wallet, click_ledger, settlement, webhook, web
    port: int
    database: str
    database_url: str = ""

    @property
    def package(self) -> str:
        return f"trickle_{self.name}"

    @property
    def env_prefix(self) -> str:
        return f"TRICKLE_{self.name.upper()}_"

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"


@dataclass
class Platform:
    """One run of the whole platform. ``claim_port``: where claim verification fetches proofs."""

    claim_port: int
    run_id: str = field(default_factory=lambda: f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}")
    startup_timeout_s: float = 120.0
    services: dict[str, ServiceInstance] = field(default_factory=dict)
    processes: list[Process] = field(default_factory=list)
    gateway_port: int = 0
    smtp_port: int = 0
    operator_secret: str = field(default_factory=lambda: f"e2e-operator-{secrets.token_urlsafe(16)}")
    sandbox_secret: str = field(default_factory=lambda: f"e2e-sandbox-{secrets.token_urlsafe(16)}")
    # Settings to add or override for this run (e.g. {"TRICKLE_SETTLEMENT_ESCROW_REFUND_AFTER_PERIODS": "1"}).
    extra_env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.run_dir = REPO / "var" / "e2e" / self.run_id
        self.topic_prefix = f"e2e-{self.run_id}."
        self.kafka = os.environ.get("TRICKLE_KAFKA_BOOTSTRAP", "127.0.0.1:59092")
        self._databases_created: list[str] = []
        self.mail_dir = self.run_dir / "mail"

    # ---- addresses

    @property
    def gateway_url(self) -> str:
        return f"http://{LOOPBACK}:{self.gateway_port}"

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"

    @property
    def web(self) -> ServiceInstance | None:
        """The web front end of this run, when its package has an app to start."""
        return self.services.get(WEB)

    @property
    def mailbox(self) -> Mailbox:
        """The mail the platform sent this run (the catcher's folder)."""
        from tests.e2e.mailbox import Mailbox

        return Mailbox(self.mail_dir)

    # ---- configuration

    def base_env(self) -> dict[str, str]:
        """The parent's environment without any TRICKLE_ setting (only this run's reach the services)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRICKLE_") and not k.startswith("PYTEST")}
        env["PYTHONUNBUFFERED"] = "1"
        env["PATH"] = f"{PYTHON.parent}{os.pathsep}{env.get('PATH', '')}"
        return env

    def service_env(self) -> dict[str, str]:
        """Every setting of this run, as the services' Settings read them (TRICKLE_<SVC>_<FIELD>, TRICKLE_<FIELD>)."""
        wallet = self.services["wallet"]
        env = {
            # deployment-wide
            "TRICKLE_KAFKA_BOOTSTRAP": self.kafka,
            "TRICKLE_TOPIC_PREFIX": self.topic_prefix,
            "TRICKLE_JWKS_URL": f"{wallet.url}/v1/.well-known/jwks.json",
            "TRICKLE_OPERATOR_CLIENT_SECRET": self.operator_secret,
            "TRICKLE_LOG_LEVEL": "INFO",
            # The creator's site and the webhook receivers live on loop-back: allowed for this run only.
            "TRICKLE_SSRF_ALLOW": json.dumps(["127.0.0.0/8"]),
            # wallet: the sandbox provider calls this run's wallet back, quickly
            "TRICKLE_WALLET_PROVIDER_CALLBACK_BASE_URL": wallet.url,
            "TRICKLE_WALLET_SANDBOX_CALLBACK_SECRET": self.sandbox_secret,
            "TRICKLE_WALLET_SANDBOX_CALLBACK_DELAY_S": "0.05",
            "TRICKLE_WALLET_DEPOSIT_TIMEOUT_S": "120",
            "TRICKLE_WALLET_RECONCILE_DEPOSITS_AFTER_S": "60",
            "TRICKLE_WALLET_DEPOSIT_SWEEP_INTERVAL_S": "1",
            "TRICKLE_WALLET_PAYOUT_DISPATCH_INTERVAL_S": "0.2",
            # wallet: mail (verification, password reset) to this run's catcher; links into the web pages
            "TRICKLE_WALLET_SMTP_HOST": LOOPBACK,
            "TRICKLE_WALLET_SMTP_PORT": str(self.smtp_port),
            "TRICKLE_WALLET_SMTP_STARTTLS": "false",
            "TRICKLE_WALLET_MAIL_FROM": "trickle@example.org",
            "TRICKLE_WALLET_WEB_BASE_URL": self.gateway_url,
            "TRICKLE_WALLET_MAIL_SEND_INTERVAL_S": "0.2",
            # argon2id at its cheapest: the tests sign people in, they do not measure the hash's strength
            "TRICKLE_WALLET_PASSWORD_HASH_TIME_COST": "1",
            "TRICKLE_WALLET_PASSWORD_HASH_MEMORY_KIB": "8192",
            "TRICKLE_WALLET_PASSWORD_HASH_PARALLELISM": "1",
            # wallet: the OAuth server's issuer is the platform's public address (the gateway)
            "TRICKLE_WALLET_OAUTH_ISSUER": self.gateway_url,
            # click-ledger: claims fetched over plain http from the test's site; a fast scheduler
            "TRICKLE_CLICK_LEDGER_CLAIM_SCHEME": "http",
            "TRICKLE_CLICK_LEDGER_CLAIM_PORT": str(self.claim_port),
            "TRICKLE_CLICK_LEDGER_CLAIM_TIMEOUT_S": "5",
            "TRICKLE_CLICK_LEDGER_SCHEDULER_INTERVAL_S": "0.5",
            # The month test seals periods long before their months end: a demo calendar.
            "TRICKLE_CLICK_LEDGER_DEMO_CALENDAR": "true",
            "TRICKLE_CLICK_LEDGER_PUBLIC_BASE_URL": self.gateway_url,
            # settlement: pick up started closes quickly
            "TRICKLE_SETTLEMENT_CLOSE_POLL_INTERVAL_S": "0.2",
            # webhook: compressed schedule (seconds instead of hours), short time-outs, no jitter
            "TRICKLE_WEBHOOK_RETRY_SCHEDULE_S": json.dumps([0, 0.5, 1, 2, 4]),
            "TRICKLE_WEBHOOK_RETRY_JITTER": "0",
            "TRICKLE_WEBHOOK_ATTEMPT_TIMEOUT_S": "5",
            "TRICKLE_WEBHOOK_LEASE_MARGIN_S": "5",
            "TRICKLE_WEBHOOK_POLL_INTERVAL_S": "0.2",
        }
        if self.web is not None:
            # The pages reach the services through the gateway only.
            env["TRICKLE_WEB_API_BASE_URL"] = self.gateway_url
        for svc in self.services.values():
            env[f"{svc.env_prefix}DATABASE_URL"] = svc.database_url
            env[f"{svc.env_prefix}PORT"] = str(svc.port)
        return {**env, **self.extra_env}

    # ---- lifecycle

    def start(self) -> Platform:
        started = time.monotonic()
        self._prune_old_runs()
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self._check_infrastructure()
        names = [*SERVICES, WEB] if has_module("trickle_web.app") else list(SERVICES)
        *api_ports, self.gateway_port, self.smtp_port = free_ports(len(names) + 2)
        for name, port in zip(names, api_ports, strict=True):
            self.services[name] = ServiceInstance(name, port, f"e2e_{self.run_id.replace('-', '_')}_{name}")
        self._create_databases()
        self._create_topics()
        env = {**self.base_env(), **self.service_env()}
        (self.run_dir / "env.json").write_text(json.dumps(self.service_env(), indent=2, sort_keys=True))
        for svc in self.services.values():
            self.processes.append(
                Process(
                    f"{svc.name}-api",
                    [
                        str(UVICORN),
                        f"{svc.package}.app:app",
                        "--host",
                        LOOPBACK,
                        "--port",
                        str(svc.port),
                        "--http",
                        "trickle_kit.coalesced_writes:HttpToolsProtocol",
                        "--no-access-log",
                    ],
                    env,
                    self.run_dir / f"{svc.name}-api.log",
                )
            )
            if svc.name != WEB or has_module(f"{svc.package}.worker"):
                self.processes.append(
                    Process(
                        f"{svc.name}-worker",
                        [str(PYTHON), "-m", f"{svc.package}.worker"],
                        env,
                        self.run_dir / f"{svc.name}-worker.log",
                    )
                )
        self._add_mail_catcher()
        gateway_env = {
            **self.base_env(),
            "TRICKLE_GATEWAY_DIR": str(self.run_dir / "gateway"),
            "TRICKLE_GATEWAY_HOST": LOOPBACK,
            "TRICKLE_GATEWAY_PORT": str(self.gateway_port),
            **{f"{svc.env_prefix}PORT": str(svc.port) for svc in self.services.values()},
        }
        if self.web is None:  # the gateway's `/` upstream still needs an address; nothing answers there
            gateway_env["TRICKLE_WEB_PORT"] = str(free_ports(1)[0])
        self.processes.append(
            Process(
                "gateway",
                ["bash", str(REPO / "deploy" / "local" / "gateway.sh"), "run"],
                gateway_env,
                self.run_dir / "gateway.log",
            )
        )
        for proc in self.processes:
            proc.start()
        self._wait_ready()
        (self.run_dir / "ready").write_text(f"ready after {time.monotonic() - started:.1f} s\n")
        return self

    def stop(self, *, keep_data: bool = False) -> None:
        for proc in reversed(self.processes):
            proc.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in self.processes:
            if proc.popen is None:
                continue
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            if proc.popen.poll() is None:
                proc.signal_group(signal.SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.popen.wait(timeout=5)
        # Worker children (nginx's workers) live in the same groups: make sure none is left.
        for proc in self.processes:
            proc.signal_group(signal.SIGKILL)
        if not keep_data:
            self._drop_databases()
            self._delete_topics()

    # ---- diagnostics

    def dead_processes(self) -> list[str]:
        return [f"{p.name} (exit {p.exit_code()})" for p in self.processes if p.exit_code() is not None]

    def log_tails(self, lines: int = 25) -> str:
        parts = [f"platform run {self.run_id}: logs in {self.run_dir}"]
        for proc in self.processes:
            state = "running" if proc.exit_code() is None else f"EXITED {proc.exit_code()}"
            parts.append(f"----- {proc.name} ({state}) {proc.log} -----\n{tail(proc.log, lines)}")
        nginx_errors = self.run_dir / "gateway" / "logs" / "error.log"
        if nginx_errors.exists():
            parts.append(f"----- nginx error.log -----\n{tail(nginx_errors, lines)}")
        return "\n".join(parts)

    # ---- internals

    def _prune_old_runs(self, keep: int = 5) -> None:
        """Logs of the last few runs stay in var/e2e/ (the names sort by start time); older ones go."""
        runs = sorted(p for p in self.run_dir.parent.glob("*") if p.is_dir()) if self.run_dir.parent.exists() else []
        for old in runs[:-keep] if len(runs) > keep else []:
            shutil.rmtree(old, ignore_errors=True)

    def _check_infrastructure(self) -> None:
        from trickle_kit.testing import PG_ADMIN

        host_port = self.kafka.split(",")[0].rsplit(":", 1)
        try:
            socket.create_connection((host_port[0], int(host_port[1])), timeout=3).close()
        except OSError as exc:
            raise PlatformError(
                f"Kafka at {self.kafka} does not answer ({exc}): bash deploy/local/infra.sh up"
            ) from exc
        from sqlalchemy import create_engine, text

        engine = create_engine(PG_ADMIN)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:
            raise PlatformError(f"PostgreSQL does not answer ({exc}): bash deploy/local/infra.sh up") from exc
        finally:
            engine.dispose()

    def _create_databases(self) -> None:
        from trickle_kit.testing import fresh_database

        for svc in self.services.values():
            self._databases_created.append(svc.database)
            svc.database_url = fresh_database(svc.database, REPO / "services" / svc.name)

    def _drop_databases(self) -> None:
        from sqlalchemy import create_engine, text

        from trickle_kit.testing import PG_ADMIN

        engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                for name in self._databases_created:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        except Exception as exc:  # pragma: no cover - best effort clean-up
            print(f"e2e: could not drop databases: {exc}", file=sys.stderr)
        finally:
            engine.dispose()

    def _topics(self) -> list[str]:
        from trickle_events.topics import ALL_TOPICS

        return [self.topic(t) for t in ALL_TOPICS]

    def _create_topics(self) -> None:
        """Topics exist before any consumer subscribes: no consumer waits a metadata refresh for them."""
        from aiokafka.admin import AIOKafkaAdminClient, NewTopic

        from trickle_events.topics import PARTITIONS

        async def create() -> None:
            admin = AIOKafkaAdminClient(bootstrap_servers=self.kafka)
            await admin.start()
            try:
                await admin.create_topics(
                    [NewTopic(name, num_partitions=PARTITIONS, replication_factor=1) for name in self._topics()]
                )
            finally:
                await admin.close()

        asyncio.run(create())

    def _delete_topics(self) -> None:
        from aiokafka.admin import AIOKafkaAdminClient

        async def delete() -> None:
            admin = AIOKafkaAdminClient(bootstrap_servers=self.kafka)
            await admin.start()
            try:
                existing = set(await admin.list_topics())
                mine = [t for t in existing if t.startswith(self.topic_prefix)]
                if mine:
                    await admin.delete_topics(mine)
            finally:
                await admin.close()

        try:
            asyncio.run(delete())
        except Exception as exc:  # pragma: no cover - best effort clean-up
            print(f"e2e: could not delete topics: {exc}", file=sys.stderr)

    def _add_mail_catcher(self) -> None:
        """The SMTP server the wallet sends to (the kit's catcher), writing .eml files to ``mail_dir``."""
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self.processes.append(
            Process(
                "mail-catcher",
                [
                    str(PYTHON),
                    "-m",
                    "trickle_kit.mail_catcher",
                    "--host",
                    LOOPBACK,
                    "--port",
                    str(self.smtp_port),
                    "--dir",
                    str(self.mail_dir),
                ],
                self.base_env(),
                self.run_dir / "mail-catcher.log",
            )
        )

    def _probes(self) -> Iterator[tuple[str, str]]:
        for svc in self.services.values():
            yield f"{svc.name}-api", f"{svc.url}/readyz"
        yield "gateway", f"{self.gateway_url}/healthz"
        yield "mail-catcher", f"tcp://{LOOPBACK}:{self.smtp_port}"

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout_s
        pending = dict(self._probes())
        last: dict[str, tuple[int | None, str]] = {}
        while pending:
            for proc in self.processes:
                if proc.exit_code() is not None:
                    raise PlatformError(
                        f"{proc.name} exited with {proc.exit_code()} while the platform started\n" + self.log_tails()
                    )
            for name, url in list(pending.items()):
                if url.startswith("tcp://"):
                    host, port = url.removeprefix("tcp://").rsplit(":", 1)
                    last[name] = tcp_status(host, int(port))
                else:
                    last[name] = http_status(url)
                if last[name][0] == 200:
                    del pending[name]
            if not pending:
                break
            if time.monotonic() > deadline:
                waiting = {name: last.get(name) for name in pending}
                raise PlatformError(f"not ready within {self.startup_timeout_s:.0f} s: {waiting}\n" + self.log_tails())
            time.sleep(0.2)
