"""Fixtures of the browser tests: one platform and one Chromium for a module, fresh browser
contexts (cookie jars: one per person) for each test.

``browsing`` hands a test its contexts (``browsing.new_context()``), records each page's console
and every page its main frame reached, and carries the accessibility checker
(``browsing.a11y.check(page)``). When a test fails in its call phase, the hook below keeps a
full-page screenshot, the HTML and the console log of every page still open under
``var/browser/<test>/`` (path in the report). A passing test must have run axe-core on every
Trickle page it reached (checked at teardown).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
for path in (REPO, REPO / "clients" / "python"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from playwright.sync_api import Browser, Playwright, sync_playwright  # noqa: E402

from tests.browser import artifacts  # noqa: E402
from tests.browser.browsing import Browsing  # noqa: E402
from tests.browser.chromium import launch  # noqa: E402
from tests.e2e.platform import LocalHttpServer, Platform  # noqa: E402

BROWSING = pytest.StashKey[Browsing]()
_PLATFORM: Platform | None = None


# Playwright and the browser live for one module, never longer: Playwright's sync API keeps its
# event loop marked running on this thread, which would break any asyncio test (pytest-asyncio)
# that pytest-xdist runs after it in the same worker.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = launch(playwright)
    yield chromium
    chromium.close()


@pytest.fixture
def browsing(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Browsing]:
    folder = artifacts.folder_for(request.node.nodeid)
    artifacts.clear(folder)
    session = Browsing(browser)
    request.node.stash[BROWSING] = session
    yield session
    call = getattr(request.node, "browser_call_report", None)
    passed = call is not None and call.passed
    unchecked = session.a11y.unchecked()
    session.close()
    if passed and unchecked:
        pytest.fail(f"pages reached without an accessibility check (browsing.a11y.check): {unchecked}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Generator[None, Any, None]:
    outcome = yield
    report = outcome.get_result()
    if report.when != "call":
        return
    item.browser_call_report = report  # type: ignore[attr-defined]
    session = item.stash.get(BROWSING, None)
    if report.failed and session is not None:
        folder = artifacts.folder_for(item.nodeid)
        try:
            written = artifacts.keep(folder, session.contexts, session.console, str(report.longrepr))
            report.sections.append(("browser artifacts", "\n".join(str(p) for p in written)))
        except Exception:  # the artifacts must never hide the failure itself
            report.sections.append(("browser artifacts (failed)", traceback.format_exc()))
    if report.failed and _PLATFORM is not None and _PLATFORM.processes:
        report.sections.append(("platform log tails", _PLATFORM.log_tails()))


# ---------------------------------------------------------------- the platform


@pytest.fixture(scope="session")
def claim_site() -> Iterator[LocalHttpServer]:
    """A creator's web site on 127.0.0.1 (the domain they claim)."""
    site = LocalHttpServer().start()
    yield site
    site.stop()


@pytest.fixture(scope="session")
def creator_site(claim_site: LocalHttpServer) -> Iterator[LocalHttpServer]:
    """A creator's blog on 127.0.0.2 (another origin and cookie jar than the platform's 127.0.0.1),
    on the port claims are fetched from: it embeds the button and serves the domain's proof."""
    site = LocalHttpServer("127.0.0.2", claim_site.port).start()
    yield site
    site.stop()


@pytest.fixture(scope="session")
def app_site() -> Iterator[LocalHttpServer]:
    """A third-party app's web site on 127.0.0.3: its OAuth redirect URI answers here."""
    site = LocalHttpServer("127.0.0.3").start()
    yield site
    site.stop()


@pytest.fixture(scope="module")
def platform(claim_site: LocalHttpServer) -> Generator[Platform, None, None]:
    """The whole platform for a module of scenarios, stopped when its last test is done."""
    global _PLATFORM
    plat = Platform(claim_port=claim_site.port)
    _PLATFORM = plat
    # Started and stopped on a thread of its own: its set-up runs asyncio (topics, migrations),
    # which cannot run on this thread while Playwright's sync API keeps its event loop here.
    with ThreadPoolExecutor(1, thread_name_prefix="platform") as aside:
        try:
            aside.submit(plat.start).result()
            if plat.web is None:
                pytest.fail("the web front end (trickle_web) is not installed here: make venv")
            yield plat
        finally:
            aside.submit(plat.stop, keep_data=os.environ.get("TRICKLE_E2E_KEEP") == "1").result()
            _PLATFORM = None
