"""Fixtures of the end-to-end tests: the whole platform behind its gateway, and clients of it.

The platform starts once per test session (``platform`` fixture) and is torn down at the end;
on a failed test the tails of every process's log are attached to the report. Set
``TRICKLE_E2E_KEEP=1`` to keep the run's databases and topics for a post-mortem.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
for path in (REPO, REPO / "clients" / "python"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from tests.e2e.platform import LocalHttpServer, Platform  # noqa: E402
from tests.e2e.private_month import PrivateMonth, settled_private_month  # noqa: E402

_PLATFORM: Platform | None = None


@pytest.fixture(scope="session")
def claim_site() -> Iterator[LocalHttpServer]:
    """A creator's web site on 127.0.0.1 (the domain they will claim): a real HTTP server."""
    site = LocalHttpServer().start()
    yield site
    site.stop()


@pytest.fixture(scope="session")
def webhook_receiver() -> Iterator[LocalHttpServer]:
    """Where webhook endpoints deliver: a real HTTP server recording every POST (answers 204)."""
    receiver = LocalHttpServer().start()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="session")
def platform(claim_site: LocalHttpServer) -> Generator[Platform, None, None]:
    global _PLATFORM
    plat = Platform(claim_port=claim_site.port)
    _PLATFORM = plat
    try:
        plat.start()
        yield plat
    finally:
        plat.stop(keep_data=os.environ.get("TRICKLE_E2E_KEEP") == "1")
        _PLATFORM = None


@pytest.fixture(scope="session")
def private_month() -> Iterator[PrivateMonth]:
    """A private patron's settled month on a platform of its own (tests/e2e/private_month.py)."""
    with settled_private_month() as world:
        yield world


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Generator[None, Any, None]:
    outcome = yield
    report = outcome.get_result()
    if report.failed and _PLATFORM is not None and _PLATFORM.processes:
        report.sections.append(("platform log tails", _PLATFORM.log_tails()))
