"""The session cookie's flags, sign-in and sign-out, and the access token refreshed when near expiry."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from trickle_kit.testing import wait_until
from trickle_web.upstream import api, send

from .support.api import form_of, problem, session_tokens

ACCOUNT = "acct_0190a1b2c3d4"


def add_whoami(app) -> None:  # type: ignore[no-untyped-def]
    """A page of the test's own that reads the signed-in person's account through ``api(request)``."""

    async def whoami(request: Request) -> JSONResponse:
        client = await api(request)
        answer = await send(client, "GET", f"/v1/accounts/{ACCOUNT}")
        return JSONResponse(answer.json())

    app.add_api_route("/whoami", whoami, methods=["GET"])


async def waiting_on_a_lock(app) -> bool:  # type: ignore[no-untyped-def]
    async with app.state.engine.connect() as conn:
        query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        return bool((await conn.execute(text(query))).scalar_one())


def account_answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"id": ACCOUNT, "seen_token": request.headers.get("authorization")})


async def signed_in(browser, fake_api, **tokens) -> httpx.Response:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/sessions", session_tokens(ACCOUNT, **tokens), status=201)
    await browser.get("/sign-in")
    response = await browser.submit("/sign-in", {"email": "ada@example.org", "password": "x" * 12})
    assert response.status_code == 303, response.text
    return response


async def test_the_cookie_is_http_only_same_site_lax_and_not_secure_over_plain_http(browser) -> None:  # type: ignore[no-untyped-def]
    response = await browser.get("/sign-in")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("trickle_session=")
    attributes = {part.strip().split("=")[0] for part in cookie.split(";")[1:]}
    assert {"HttpOnly", "SameSite", "Path"} <= attributes and "Secure" not in attributes
    assert "SameSite=Lax" in cookie


async def test_the_cookie_is_secure_when_configured(settings, fake_api) -> None:  # type: ignore[no-untyped-def]
    from trickle_web.app import build_app

    app = build_app(settings.model_copy(update={"secure_cookies": True}))
    app.state.api_transport = httpx.MockTransport(fake_api.handle)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="https://x.test") as c:
        cookie = (await c.get("/sign-in")).headers["set-cookie"]
    assert "; Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


async def test_signing_in_starts_a_new_session_id(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    """No session fixation: the id a visitor had before signing in is not the signed-in one."""
    await browser.get("/sign-in")
    before = browser.client.cookies["trickle_session"]
    response = await signed_in(browser, fake_api)
    after = browser.client.cookies["trickle_session"]
    assert after != before
    assert "Max-Age=" in response.headers["set-cookie"]  # survives a browser restart
    # The old id opens nothing any more.
    browser.client.cookies.set("trickle_session", before)
    assert (await browser.client.get("/wallet")).status_code == 303


async def test_signing_out_ends_the_session_and_revokes_the_refresh_token(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await signed_in(browser, fake_api, refresh="refresh-to-revoke")
    fake_api.on("POST", "/v1/oauth/revoke", {}, status=200)
    cookie = browser.client.cookies["trickle_session"]
    await browser.get("/sign-in?next=/wallet")  # signed in: redirected; a page with the sign-out form
    page = await browser.get("/")
    assert page.status_code in (200, 303)
    await browser.get("/forgot-password")
    response = await browser.submit("/sign-out", {})
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert "Max-Age=0" in response.headers["set-cookie"]
    (revoke,) = fake_api.requests("POST", "/v1/oauth/revoke")
    assert form_of(revoke) == {"token": "refresh-to-revoke", "client_id": "trickle-web"}
    browser.client.cookies.set("trickle_session", cookie)
    assert (await browser.client.get("/wallet")).status_code == 303  # that session is gone


async def test_a_page_needing_a_person_sends_a_visitor_to_sign_in_and_back(browser) -> None:  # type: ignore[no-untyped-def]
    response = await browser.client.get("/wallet?tab=budget")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=%2Fwallet%3Ftab%3Dbudget"


async def test_a_fresh_access_token_is_used_as_is(app, browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    add_whoami(app)
    fake_api.on("GET", f"/v1/accounts/{ACCOUNT}", account_answer)
    await signed_in(browser, fake_api, access="fresh", expires_in=900)
    answer = (await browser.client.get("/whoami")).json()
    assert answer["seen_token"] == "Bearer fresh"
    assert fake_api.requests("POST", "/v1/oauth/token") == []


async def test_a_token_near_expiry_is_refreshed_once_and_the_new_one_kept(app, browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    add_whoami(app)
    fake_api.on("GET", f"/v1/accounts/{ACCOUNT}", account_answer)
    await signed_in(browser, fake_api, access="old", refresh="refresh-1", expires_in=30)  # margin is 60 s
    fake_api.on("POST", "/v1/oauth/token", session_tokens(ACCOUNT, access="new", refresh="refresh-2"))
    assert (await browser.client.get("/whoami")).json()["seen_token"] == "Bearer new"
    (refresh,) = fake_api.requests("POST", "/v1/oauth/token")
    assert form_of(refresh) == {"grant_type": "refresh_token", "refresh_token": "refresh-1", "client_id": "trickle-web"}
    # The rotated tokens were stored: the next page neither refreshes again nor uses the old token.
    assert (await browser.client.get("/whoami")).json()["seen_token"] == "Bearer new"
    assert len(fake_api.requests("POST", "/v1/oauth/token")) == 1


async def test_two_pages_at_once_spend_the_refresh_token_once(app, browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    """The wallet takes a second use of a refresh token for theft and ends the grant: never send it twice."""
    add_whoami(app)
    fake_api.on("GET", f"/v1/accounts/{ACCOUNT}", account_answer)
    await signed_in(browser, fake_api, access="old", refresh="refresh-1", expires_in=30)
    arrived = asyncio.Event()
    release = asyncio.Event()

    async def slow_token(request: httpx.Request) -> httpx.Response:
        arrived.set()
        await release.wait()
        return httpx.Response(200, json=session_tokens(ACCOUNT, access="new", refresh="refresh-2"))

    fake_api.on("POST", "/v1/oauth/token", slow_token)  # type: ignore[arg-type]
    first = asyncio.create_task(browser.client.get("/whoami"))
    await arrived.wait()  # the first holds the session while the wallet answers
    second = asyncio.create_task(browser.client.get("/whoami"))
    await wait_until(lambda: waiting_on_a_lock(app))  # the second waits for the first's refresh
    release.set()
    answers = [r.json()["seen_token"] for r in await asyncio.gather(first, second)]
    assert answers == ["Bearer new", "Bearer new"]
    assert len(fake_api.requests("POST", "/v1/oauth/token")) == 1


async def test_a_refused_refresh_signs_the_person_out(app, browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    add_whoami(app)
    await signed_in(browser, fake_api, expires_in=10)
    fake_api.on("POST", "/v1/oauth/token", problem(400, "invalid_grant", "The refresh token was revoked."))
    response = await browser.client.get("/whoami")
    assert response.status_code == 303 and response.headers["location"] == "/sign-in?next=%2Fwhoami"
    assert "Max-Age=0" in response.headers["set-cookie"]
    assert (await browser.client.get("/whoami")).status_code == 303
    assert len(fake_api.requests("POST", "/v1/oauth/token")) == 1  # the ended session asks no more


async def test_a_token_the_api_refuses_signs_the_person_out(app, browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    add_whoami(app)
    await signed_in(browser, fake_api)
    fake_api.on("GET", f"/v1/accounts/{ACCOUNT}", problem(401, "unauthenticated", "Token revoked"))
    response = await browser.client.get("/whoami")
    assert response.status_code == 303 and response.headers["location"].startswith("/sign-in")
    assert "Max-Age=0" in response.headers["set-cookie"]


async def test_the_api_being_down_is_a_503_page_and_the_session_stays(app, browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    add_whoami(app)
    fake_api.on("GET", f"/v1/accounts/{ACCOUNT}", account_answer)
    await signed_in(browser, fake_api, expires_in=10)
    fake_api.on("POST", "/v1/oauth/token", httpx.Response(503, json={"code": "service_unavailable"}))
    response = await browser.client.get("/whoami")
    assert response.status_code == 503 and "text/html" in response.headers["content-type"]
    fake_api.on("POST", "/v1/oauth/token", session_tokens(ACCOUNT, access="later"))
    assert (await browser.client.get("/whoami")).json()["seen_token"] == "Bearer later"


async def test_the_api_hears_the_persons_address_not_only_this_servers(app, fake_api) -> None:  # type: ignore[no-untyped-def]
    """The wallet limits sign-in attempts per address: every visitor must not count as the web server."""
    from .support.browser import Browser

    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 5555))
    async with httpx.AsyncClient(transport=transport, base_url="http://web.test") as client:
        await signed_in(Browser(client), fake_api)
    (sign_in,) = fake_api.requests("POST", "/v1/sessions")
    assert sign_in.headers["x-forwarded-for"] == "203.0.113.7"
