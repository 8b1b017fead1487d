"""Pages that change by themselves (a pending deposit, a running close) never reload themselves with
<meta http-equiv="refresh"> (axe-core's critical meta-refresh: a page that moves under a screen
reader or a slow reader): a static script (the CSP allows no inline script) fetches the page again
and updates its live regions (aria-live="polite"), and a plain Refresh link works without it."""

from __future__ import annotations

import re

from .support.api import balances, budget, deposit, session_tokens

ACCOUNT = "acct_0190a1b2c3d4"
META_REFRESH = re.compile(r"<meta[^>]+http-equiv=[\"']?refresh", re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
OPERATOR_TOKEN = {"access_token": "op-token", "token_type": "Bearer", "expires_in": 900, "scope": "operator"}


async def sign_in_operator_during_a_close(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/oauth/token", OPERATOR_TOKEN)
    await browser.get("/operator/sign-in")
    signed_in = await browser.submit(
        "/operator/sign-in", {"client_id": "trickle-operator", "client_secret": "s3cret", "next": "/operator"}
    )
    assert signed_in.status_code == 303
    times = {"opened_at": "2026-11-01T00:00:00Z", "ends_at": "2026-12-01T00:00:00Z"}
    open_period = {"id": "2026-12", "state": "open", "sealed_at": None} | times
    sealed = {"id": "2026-11", "state": "sealed", "sealed_at": "2026-12-01T00:00:05Z"} | times
    fake_api.on("GET", "/v1/periods/current", open_period)
    fake_api.on("GET", "/v1/periods", {"data": [sealed, open_period], "has_more": False})
    closing = {"period": "2026-11", "status": "closing", "seal_markers": []}
    fake_api.on("GET", "/v1/periods/2026-11", closing | {"progress": {"patrons_done": 1200, "patrons_total": 20000}})


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
    await sign_in_operator_during_a_close(browser, fake_api)
    page = (await browser.get("/operator")).text
    assert_updates_itself_accessibly(page, "/operator")
    assert "1200 of 20000 patrons" in page


async def test_the_polling_script_is_served_from_this_origin(browser) -> None:  # type: ignore[no-untyped-def]
    script = await browser.get("/static/live.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "data-live-poll" in script.text
