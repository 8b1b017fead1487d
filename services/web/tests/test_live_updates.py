"""Pages that change by themselves (a pending deposit, a running close) never reload themselves with
<meta http-equiv="refresh"> (axe-core's critical meta-refresh: a page that moves under a screen
reader or a slow reader): a static script (the CSP allows no inline script) fetches the page again
and updates its live regions (aria-live="polite"), and a plain Refresh link works without it."""

from __future__ import annotations

import re

from .support.api import balances, budget, deposit, session_tokens
from .test_operator import periods, sign_in_operator

ACCOUNT = "acct_0190a1b2c3d4"
META_REFRESH = re.compile(r"<meta[^>]+http-equiv=[\"']?refresh", re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)


def assert_updates_itself_accessibly(page: str, here: str) -> None:
    assert not META_REFRESH.search(page), "the page reloads itself"
    assert not INLINE_SCRIPT.search(page), "an inline script (the CSP refuses it)"
    assert '<script src="/static/live.js" defer></script>' in page
    assert re.search(r'data-live-poll="\d+"', page), "nothing tells live.js to poll"
    assert re.search(r'<[^>]+id="[\w-]+"[^>]*data-live[ >][^>]*aria-live="polite"', page), "no polite live region"
    assert f'<a href="{here}">Refresh</a>' in page  # without JavaScript


async def test_a_pending_deposit_updates_itself_without_reloading_the_page(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/sessions", session_tokens(ACCOUNT), status=201)
    fake_api.on("GET", f"/v1/accounts/{ACCOUNT}/balances", balances(ACCOUNT))
    fake_api.on("GET", f"/v1/accounts/{ACCOUNT}/budget", budget(ACCOUNT))
    await browser.get("/sign-in")
    await browser.submit("/sign-in", {"email": "a@example.org", "password": "x" * 12})
    fake_api.on("GET", "/v1/deposits/dep_0190aa", deposit("dep_0190aa", ACCOUNT, status="pending"))
    pending = (await browser.get("/wallet/deposits/dep_0190aa")).text
    assert_updates_itself_accessibly(pending, "/wallet/deposits/dep_0190aa")
    fake_api.on("GET", "/v1/deposits/dep_0190aa", deposit("dep_0190aa", ACCOUNT, status="succeeded"))
    done = (await browser.get("/wallet/deposits/dep_0190aa")).text
    assert "data-live-poll" not in done and "were added to your wallet" in done  # live.js stops


async def test_a_running_close_updates_the_operator_page_without_reloading_it(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in_operator(browser, fake_api)
    periods(fake_api)  # 2026-11 is closing
    page = (await browser.get("/operator")).text
    assert_updates_itself_accessibly(page, "/operator")
    assert "1200 of 20000 patrons" in page


async def test_the_polling_script_is_served_from_this_origin(browser) -> None:  # type: ignore[no-untyped-def]
    script = await browser.get("/static/live.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "data-live-poll" in script.text
