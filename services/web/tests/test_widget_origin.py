"""The widget snippet names the address people reach Trickle at. Behind the gateway the request's
own Host has no port (nginx passes ``$host``), so with ``make run``'s gateway on :8080 the
snippet pointed at port 80: TRICKLE_WEB_PUBLIC_BASE_URL says the address."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from .support.api import FakeApi, balances, session_tokens
from .support.browser import Browser

ACCOUNT = "acct_0190a1b2c3d4"
THING = {
    "id": "thing_1", "url": "https://blog.example.org/posts/1", "domain": "blog.example.org", "owner_id": ACCOUNT,
    "claim_status": "verified", "claim_hint": None, "title": "Post", "category": None, "weight": 1,
    "created_at": "2026-12-01T00:00:00Z", "updated_at": "2026-12-01T00:00:00Z", "claimed_at": None,
}  # fmt: skip


@pytest.fixture
async def gateway_browser(settings, fake_api: FakeApi) -> AsyncIterator[Browser]:  # type: ignore[no-untyped-def]
    from trickle_web.app import build_app

    app = build_app(settings.model_copy(update={"public_base_url": "http://127.0.0.1:8080/"}))
    app.state.api_transport = httpx.MockTransport(fake_api.handle)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        # What the gateway passes on: Host without the port.
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            yield Browser(client)


async def test_the_snippet_names_the_configured_public_address(gateway_browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/sessions", session_tokens(ACCOUNT), status=201)
    fake_api.on("GET", "/v1/things", {"data": [THING], "has_more": False})
    fake_api.on("GET", f"/v1/accounts/{ACCOUNT}/balances", balances(ACCOUNT))
    fake_api.on(
        "GET",
        "/v1/things/thing_1/counts",
        {"thing_id": "thing_1", "period": "2026-12", "period_clicks": 1, "all_time_clicks": 1},
    )
    await gateway_browser.get("/sign-in")
    signed_in = await gateway_browser.submit("/sign-in", {"email": "a@example.org", "password": "x" * 12})
    assert signed_in.status_code == 303
    page = (await gateway_browser.get("/creator/widget?thing_id=thing_1")).text
    assert "&lt;script src=&#34;http://127.0.0.1:8080/v1/embed.js&#34; async&gt;" in page
    assert "href=&#34;http://127.0.0.1:8080/click?thing_id=thing_1&#34;" in page
