"""The web's own database away: every page is a short 503 page for people (HTML, Retry-After),
never a problem+json 500."""

from __future__ import annotations

import httpx

from .support.api import FakeApi


async def test_the_sessions_database_away_is_a_503_page(settings, fake_api: FakeApi) -> None:
    from trickle_web.app import build_app

    away = settings.model_copy(update={"database_url": "postgresql+asyncpg://trickle:trickle@127.0.0.1:9/none"})
    app = build_app(away)
    app.state.api_transport = httpx.MockTransport(fake_api.handle)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://web.test") as client:
            for path in ("/sign-in", "/wallet"):
                page = await client.get(path, cookies={"trickle_session": "x" * 43} if path == "/wallet" else None)
                assert page.status_code == 503, (path, page.status_code, page.text[:200])
                assert page.headers["content-type"].startswith("text/html")
                assert "Trickle is not answering right now" in page.text
                assert "Traceback" not in page.text
                assert page.headers["retry-after"]
                assert page.headers["x-frame-options"] == "DENY"
