"""The browser tests' own tooling, on pages served locally (no platform needed): Debian's
Chromium renders under Playwright, axe-core fails a page with serious violations and passes a
clean one, and a failing browser test leaves its screenshot, HTML and console log under var/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import artifacts
from tests.browser.accessibility import AccessibilityError
from tests.browser.browsing import Browsing
from tests.e2e.platform import LocalHttpServer

REPO = Path(__file__).resolve().parents[2]
CLEAN = b"""<!doctype html><html lang="en"><head><title>A clean page</title></head>
<body><main><h1>Hello</h1><p><a href="/other">Another page</a></p>
<form><label for="n">Name</label><input id="n" name="n"><button type="submit">Send</button></form>
</main></body></html>"""
BROKEN = b"""<!doctype html><html><head></head>
<body><h1>Broken</h1><img src="/x.png"><button></button><input name="nameless"></body></html>"""


@pytest.fixture(scope="module")
def pages() -> Iterator[LocalHttpServer]:
    site = LocalHttpServer().start()
    site.routes["/clean"] = (200, {"Content-Type": "text/html; charset=utf-8"}, CLEAN)
    site.routes["/broken"] = (200, {"Content-Type": "text/html; charset=utf-8"}, BROKEN)
    yield site
    site.stop()


def test_chromium_renders_a_served_page_and_axe_passes_a_clean_one(browsing: Browsing, pages: LocalHttpServer) -> None:
    page = browsing.new_page()
    page.goto(f"{pages.origin}/clean")
    expect(page.get_by_role("heading", name="Hello")).to_be_visible()
    expect(page.get_by_label("Name")).to_be_editable()
    browsing.a11y.check(page)
    assert browsing.a11y.unchecked() == []


def test_axe_fails_a_page_with_serious_violations_naming_them(browsing: Browsing, pages: LocalHttpServer) -> None:
    page = browsing.new_page()
    page.goto(f"{pages.origin}/broken")
    with pytest.raises(AccessibilityError) as failed:
        browsing.a11y.check(page)
    message = str(failed.value)
    for rule in ("image-alt", "button-name", "html-has-lang", "document-title"):
        assert rule in message, message


def test_a_page_reached_without_a_check_is_named(browsing: Browsing, pages: LocalHttpServer) -> None:
    page = browsing.new_page()
    page.goto(f"{pages.origin}/clean")
    browsing.a11y.check(page)
    page.goto(f"{pages.origin}/broken?x=1")
    expect(page.get_by_role("heading", name="Broken")).to_be_visible()
    assert browsing.a11y.unchecked() == [f"{pages.origin}/broken"]
    browsing.a11y.ignore(page.url)  # (this test's own page: ignored so its teardown passes)


# Plugins the failing-on-purpose run has no use for (their imports are most of its start-up).
QUIET_PLUGINS = ("-p", "no:xdist", "-p", "no:schemathesis", "-p", "no:hypothesispytest", "-p", "no:anyio")
ON_PURPOSE = """
from playwright.sync_api import expect


def test_on_purpose(browsing):
    page = browsing.new_page()
    page.set_content('<html lang="en"><title>t</title><main><h1>Before the failure</h1></main></html>')
    page.evaluate("console.log('logged by the page')")
    expect(page.get_by_role("heading")).to_have_text("Before the failure")
    assert False, "failing on purpose"
"""


def test_a_failing_browser_test_keeps_screenshot_html_and_console(tmp_path: Path) -> None:
    test_file = tmp_path / "test_kept_on_failure.py"
    test_file.write_text(textwrap.dedent(ON_PURPOSE))
    folder = artifacts.folder_for(f"{test_file.name}::test_on_purpose")
    artifacts.clear(folder)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.browser.conftest", str(test_file), "-q", *QUIET_PLUGINS],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        assert run.returncode == 1, run.stdout + run.stderr
        assert "failing on purpose" in run.stdout
        assert "browser artifacts" in run.stdout, run.stdout
        png = sorted(folder.glob("*.png"))
        html = sorted(folder.glob("*.html"))
        logs = sorted(folder.glob("*.console.log"))
        assert len(png) == 1 and png[0].read_bytes().startswith(b"\x89PNG"), list(folder.iterdir())
        assert "Before the failure" in html[0].read_text()
        assert "[log] logged by the page" in logs[0].read_text()
        assert "failing on purpose" in (folder / "failure.txt").read_text()
    finally:
        artifacts.clear(folder)
