"""Click-ledger test fixtures: a fresh, migrated database of their own on the real PostgreSQL.

Fixtures only; what they are built from, and every helper tests share, is in ``support/``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import httpx
import pytest

from trickle_click_ledger.settings import Settings
from trickle_kit.testing import fresh_database, unique_prefix, worker_suffix
from trickle_kit.testing_auth import TokenFactory

from .support.apps import app_client, settings_for
from .support.sites import LocalSite

SERVICE_DIR = Path(__file__).resolve().parents[1]
os.environ.setdefault("TRICKLE_LOG_JSON", "false")


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
def settings(database_url: str, topic_prefix: str) -> Settings:
    return settings_for(database_url, topic_prefix)


@pytest.fixture
async def client(settings: Settings, tokens: TokenFactory) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(settings, tokens) as c:
        yield c


@pytest.fixture
def make_client(tokens: TokenFactory) -> Callable[[Settings], AbstractAsyncContextManager[httpx.AsyncClient]]:
    return lambda settings: app_client(settings, tokens)


@pytest.fixture
def site_factory() -> Iterator[Callable[[str], LocalSite]]:
    started: list[LocalSite] = []

    def start(host: str = "127.0.0.1") -> LocalSite:
        started.append(LocalSite(host).start())
        return started[-1]

    try:
        yield start
    finally:
        for s in started:
            s.stop()


@pytest.fixture
def site() -> Iterator[LocalSite]:
    s = LocalSite().start()
    try:
        yield s
    finally:
        s.stop()
