"""Click-ledger tests run against a fresh, migrated database of their own on the real PostgreSQL."""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from trickle_kit.testing import fresh_database, unique_prefix, worker_suffix
from trickle_kit.testing_auth import TokenFactory

SERVICE_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def database_url() -> str:
    return fresh_database(f"test_click_ledger_{worker_suffix()}", SERVICE_DIR)


@pytest.fixture(scope="session")
def topic_prefix() -> str:
    return unique_prefix("click_ledger")


@pytest.fixture(scope="session")
def tokens() -> TokenFactory:
    return TokenFactory()


@pytest.fixture
def settings(database_url: str, topic_prefix: str):  # type: ignore[no-untyped-def]
    from trickle_click_ledger.settings import Settings

    # demo_calendar: many tests seal the open period long before its month ends.
    return Settings(
        database_url=database_url,
        topic_prefix=topic_prefix,
        log_json=False,
        log_level="WARNING",
        db_pool_size=5,
        demo_calendar=True,
    )


@asynccontextmanager
async def app_client(settings: Any, tokens: TokenFactory) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client of an app built with ``settings`` that trusts ``tokens``."""
    from trickle_click_ledger.app import build_app

    app = build_app(settings)
    app.state.verifier = tokens.verifier()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://click-ledger.test") as c:
            c.app = app  # type: ignore[attr-defined]
            yield c


@pytest.fixture
async def client(settings, tokens: TokenFactory) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    async with app_client(settings, tokens) as c:
        yield c


@pytest.fixture
def make_client(tokens: TokenFactory) -> Callable[[Any], Any]:
    return lambda settings: app_client(settings, tokens)


Route = tuple[int, dict[str, str], bytes]


class LocalSite:
    """A real HTTP server on a free loop-back port; ``routes[path] = (status, headers, body)``."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.hits.append(self.path)
                status, headers, body = site.routes.get(self.path, (404, {}, b"not here"))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"


@pytest.fixture
def site_factory() -> Iterator[Callable[[str], LocalSite]]:
    started: list[LocalSite] = []

    def start(host: str = "127.0.0.1") -> LocalSite:
        s = LocalSite(host)
        s.thread.start()
        started.append(s)
        return s

    try:
        yield start
    finally:
        for s in started:
            s.server.shutdown()
            s.server.server_close()


@pytest.fixture
def site() -> Iterator[LocalSite]:
    s = LocalSite()
    s.thread.start()
    try:
        yield s
    finally:
        s.server.shutdown()
        s.server.server_close()


def new_account() -> str:
    from trickle_kit.ids import new_id

    return new_id("acct")


os.environ.setdefault("TRICKLE_LOG_JSON", "false")
