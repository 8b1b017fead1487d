"""Every form post carries the session's CSRF token: without it, or with another session's, 403."""

from __future__ import annotations

from fastapi.routing import APIRoute

from trickle_web.csrf import check_csrf

from .support.api import session_tokens


def routes(app):  # type: ignore[no-untyped-def]
    """Every APIRoute of the app, also those of included routers."""
    for route in app.router.routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # FastAPI's lazily included router
            yield from (r for r in route.original_router.routes if isinstance(r, APIRoute))


def dependencies(dependant):  # type: ignore[no-untyped-def]
    for sub in dependant.dependencies:
        yield sub.call
        yield from dependencies(sub)


def test_every_unsafe_route_checks_the_csrf_token(app) -> None:  # type: ignore[no-untyped-def]
    unsafe = [r for r in routes(app) if r.methods - {"GET", "HEAD", "OPTIONS"}]
    assert unsafe, "no form routes found"
    unchecked = [f"{r.methods} {r.path}" for r in unsafe if check_csrf not in set(dependencies(r.dependant))]
    assert not unchecked, unchecked


async def test_a_post_without_the_token_is_refused_and_reaches_no_api(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/sessions", session_tokens(), status=201)
    await browser.get("/sign-in")
    response = await browser.submit("/sign-in", {"email": "ada@example.org", "password": "x" * 12}, csrf=False)
    assert response.status_code == 403
    assert "text/html" in response.headers["content-type"]
    assert fake_api.requests("POST", "/v1/sessions") == []


async def test_a_post_with_a_wrong_token_is_refused(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/sessions", session_tokens(), status=201)
    await browser.get("/sign-in")
    response = await browser.submit(
        "/sign-in", {"email": "ada@example.org", "password": "x" * 12, "csrf_token": "forged-token"}
    )
    assert response.status_code == 403
    assert fake_api.requests("POST", "/v1/sessions") == []


async def test_another_sessions_token_is_refused(app, browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    """A token is bound to its session: one read from the attacker's own session does not work in the victim's."""
    import httpx

    from .support.browser import Browser

    fake_api.on("POST", "/v1/sessions", session_tokens(), status=201)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web.test") as other:
        attacker = Browser(other)
        await attacker.get("/sign-in")
        stolen = attacker.csrf_token()
    await browser.get("/sign-in")
    assert browser.csrf_token() != stolen
    response = await browser.submit("/sign-in", {"email": "a@example.org", "password": "x" * 12, "csrf_token": stolen})
    assert response.status_code == 403


async def test_a_post_with_the_pages_token_goes_through(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/sessions", session_tokens(), status=201)
    await browser.get("/sign-in")
    response = await browser.submit("/sign-in", {"email": "ada@example.org", "password": "x" * 12})
    assert response.status_code == 303, response.text
    assert len(fake_api.requests("POST", "/v1/sessions")) == 1


async def test_the_token_may_come_as_a_header(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await browser.get("/sign-in")
    token = browser.csrf_token()
    response = await browser.client.post("/sign-out", headers={"X-CSRF-Token": token})
    assert response.status_code == 303
