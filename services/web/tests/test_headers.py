"""Every page carries the security headers; a page made for a person is never kept by a cache
(browser history, a shared proxy): after signing out on a shared computer, Back must not show the
last person's balance."""

from __future__ import annotations

from .support.api import balances, budget, session_tokens

ACCOUNT = "acct_0190a1b2c3d4"


async def test_a_signed_in_page_is_never_stored_by_a_cache(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/sessions", session_tokens(ACCOUNT), status=201)
    fake_api.on("GET", f"/v1/accounts/{ACCOUNT}/balances", balances(ACCOUNT, wallet=1234))
    fake_api.on("GET", f"/v1/accounts/{ACCOUNT}/budget", budget(ACCOUNT, amount=500))
    await browser.get("/sign-in")
    signed_in = await browser.submit("/sign-in", {"email": "a@example.org", "password": "x" * 12})
    assert signed_in.status_code == 303
    wallet = await browser.get("/wallet")
    assert wallet.status_code == 200 and "12.34 EUR" in wallet.text
    assert wallet.headers["cache-control"] == "no-store"
    assert wallet.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in wallet.headers["content-security-policy"]


async def test_every_page_is_unframeable_and_unstored_static_files_may_be_cached(browser) -> None:  # type: ignore[no-untyped-def]
    for path in ("/", "/sign-in", "/sign-up", "/operator/sign-in", "/no-such-page"):
        page = await browser.get(path)
        assert page.headers["x-frame-options"] == "DENY", path
        assert page.headers["cache-control"] == "no-store", path
    static = await browser.get("/static/trickle.css")
    assert static.status_code == 200
    assert "no-store" not in static.headers.get("cache-control", "")
    assert static.headers["x-frame-options"] == "DENY"


async def test_pages_with_a_token_in_their_address_send_no_referrer_and_are_not_stored(browser) -> None:  # type: ignore[no-untyped-def]
    """A reset or verification link's token must not leave in a Referer (not even to this origin's
    logs) nor stay in a cache; every other page sends its Referer to this origin only."""
    for path in ("/verify-email?token=secret-1", "/reset-password?token=secret-2"):
        page = await browser.get(path)
        assert page.status_code == 200, path
        assert page.headers["referrer-policy"] == "no-referrer", path
        assert page.headers["cache-control"] == "no-store", path
    for path in ("/", "/sign-in", "/forgot-password"):
        assert (await browser.get(path)).headers["referrer-policy"] in ("same-origin", "no-referrer"), path
