"""/creators/{account_id}: the public profile reads only what the API shows anybody (no token,
even for a signed-in visitor), and renders the same signed in or out."""

from __future__ import annotations

from .support.api import problem, session_tokens

CREATOR = "acct_0190c0ffee"
PROFILE = {
    "account_id": CREATOR,
    "period": "2026-12",
    "things": [
        {"id": "thing_1", "url": "https://blog.example.org/posts/1", "title": "<b>First</b> post", "category": None,
         "period_clicks": 7, "all_time_clicks": 30},
    ],
    "supporters": [{"account_id": "acct_0190public"}],
}  # fmt: skip


async def test_a_signed_out_visitor_sees_things_counts_and_public_supporters(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("GET", f"/v1/creators/{CREATOR}", PROFILE)
    page = await browser.get(f"/creators/{CREATOR}")
    assert page.status_code == 200
    assert "&lt;b&gt;First&lt;/b&gt; post" in page.text and "<b>First" not in page.text
    assert ">7<" in page.text and ">30<" in page.text
    assert 'href="/creators/acct_0190public"' in page.text
    assert "authorization" not in fake_api.requests("GET", f"/v1/creators/{CREATOR}")[0].headers


async def test_a_signed_in_visitor_asks_the_api_without_a_token(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/sessions", session_tokens("acct_0190a1b2c3d4"), status=201)
    fake_api.on("GET", f"/v1/creators/{CREATOR}", PROFILE | {"supporters": []})
    await browser.get("/sign-in")
    await browser.submit("/sign-in", {"email": "a@example.org", "password": "x" * 12})
    page = await browser.get(f"/creators/{CREATOR}")
    assert page.status_code == 200 and "Nobody who supports this creator has chosen to show it publicly" in page.text
    assert "authorization" not in fake_api.requests("GET", f"/v1/creators/{CREATOR}")[0].headers


async def test_an_unknown_creator_is_not_found(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("GET", "/v1/creators/acct_nobody", problem(404, "not_found", "No such creator"))
    assert (await browser.get("/creators/acct_nobody")).status_code == 404
    assert (await browser.get("/creators/..%2Fv1")).status_code == 404
